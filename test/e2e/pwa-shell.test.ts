/**
 * The installable, offline PWA shell, end to end: real Chromium (test/support/browser.ts) against the
 * worker under wrangler dev. W3C Web App Manifest (fields, icons) and Service Workers (the shell is
 * precached, the worker controls the page, an offline reload shows the app, the worker's endpoints are
 * never cached). The update flow (a new build deployed while the page is open) is in
 * pwa-shell-update.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ROOT } from "../support/process";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose: string;
}

/** Waits until /sw.js is active, then reloads so that it controls the page; returns its script URL. */
async function controlledBySw(page: Page): Promise<string> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  return page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? "");
}

/** Everything the page's origin holds in Cache Storage, as paths (with search). */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) {
        const u = new URL(req.url);
        out.push(u.pathname + u.search);
      }
    }
    return out;
  });
}

/** The app shell ran: the boot script set <html data-build> and the app rendered into #app. */
async function shellRendered(page: Page): Promise<boolean> {
  await page.waitForFunction(() => document.documentElement.dataset.build && document.querySelector("#app")?.firstElementChild);
  return true;
}

describe("installable offline PWA shell (Chromium, wrangler dev, web/dist)", () => {
  let worker: WorkerServer;
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, "web/dist/sw.js"))) throw new Error("web/dist has no sw.js: run `npm run build` first");
    worker = await startWorker();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on("pageerror", (e) => problems.push(`pageerror: ${e}`));
    page.on("console", (m) => {
      // Failed fetches of missing files are logged by Chromium too; only CSP and service worker trouble counts.
      if (/Content Security Policy|service ?worker|Porthole:/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it("serves a valid web app manifest that Chromium parses without errors", async () => {
    const res = await fetch(`${worker.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
    expect(manifest).toMatchObject({ start_url: "/", scope: "/", display: "standalone", short_name: "Porthole" });
    for (const key of ["name", "description", "theme_color", "background_color"]) expect(manifest[key]).toBeTruthy();

    await page.goto(`${worker.url}/`);
    await shellRendered(page);
    expect(await page.getAttribute('link[rel="manifest"]', "href")).toBe("/manifest.webmanifest");
    const cdp = await browser.newCDPSession(page);
    const parsed = (await cdp.send("Page.getAppManifest")) as { url: string; errors: Array<{ message: string }>; data: string };
    expect(parsed.url).toBe(`${worker.url}/manifest.webmanifest`);
    expect(parsed.errors).toEqual([]);
    expect(JSON.parse(parsed.data)).toEqual(manifest);
  });

  it("serves every manifest icon, and Chromium decodes each at its declared size", async () => {
    const manifest = (await (await fetch(`${worker.url}/manifest.webmanifest`)).json()) as { icons: ManifestIcon[] };
    for (const purpose of ["any", "maskable"]) {
      for (const sizes of ["192x192", "512x512"]) {
        expect(manifest.icons.some((i) => i.purpose === purpose && i.sizes === sizes && i.type === "image/png")).toBe(true);
      }
    }
    for (const icon of manifest.icons) {
      const res = await fetch(`${worker.url}${icon.src}`);
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get("content-type"), icon.src).toMatch(new RegExp(`^${icon.type.replace("+", "\\+")}`));
    }
    const decoded = await page.evaluate(
      (icons) =>
        Promise.all(
          icons.map(
            (icon) =>
              new Promise<string>((resolve) => {
                const img = new Image();
                img.onload = () => resolve(`${icon.src} ${img.naturalWidth}x${img.naturalHeight}`);
                img.onerror = () => resolve(`${icon.src} failed`);
                img.src = icon.src;
              }),
          ),
        ),
      manifest.icons.filter((i) => i.type === "image/png"),
    );
    expect(decoded).toEqual(manifest.icons.filter((i) => i.type === "image/png").map((i) => `${i.src} ${i.sizes}`));
    // iOS ignores manifest icons and takes the page's apple-touch-icon (180 px, opaque).
    const touch = await page.evaluate(async () => {
      const href = document.querySelector('link[rel="apple-touch-icon"]')?.getAttribute("href") ?? "";
      const img = new Image();
      img.src = href;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext("2d");
      ctx?.drawImage(img, 0, 0);
      return { href, size: `${img.naturalWidth}x${img.naturalHeight}`, cornerAlpha: ctx?.getImageData(0, 0, 1, 1).data[3] };
    });
    expect(touch).toEqual({ href: "/icons/apple-touch-icon.png", size: "180x180", cornerAlpha: 255 });
  });

  it("generates PNG icons that match Chromium's own rendering of the SVG source", async () => {
    // Mean absolute difference per channel between Chromium drawing /icon.svg and our /icons/icon-192.png.
    const diff = await page.evaluate(async () => {
      const load = (src: string) =>
        new Promise<HTMLImageElement>((resolve, reject) => {
          const img = new Image(192, 192);
          img.onload = () => resolve(img);
          img.onerror = () => reject(new Error(src));
          img.src = src;
        });
      const pixels = async (src: string) => {
        const canvas = document.createElement("canvas");
        canvas.width = 192;
        canvas.height = 192;
        const ctx = canvas.getContext("2d");
        if (!ctx) throw new Error("no 2d context");
        ctx.drawImage(await load(src), 0, 0, 192, 192);
        return ctx.getImageData(0, 0, 192, 192).data;
      };
      const [a, b] = await Promise.all([pixels("/icon.svg"), pixels("/icons/icon-192.png")]);
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
      return sum / a.length;
    });
    expect(diff).toBeLessThan(2);
  });

  it("activates the service worker, which controls the page after a reload and holds the precached shell", async () => {
    expect(await controlledBySw(page)).toBe(`${worker.url}/sw.js`);
    await shellRendered(page);
    const cached = await cachedPaths(page);
    const html = await (await fetch(`${worker.url}/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    const keys = cached.map((p) => p.replace(/\?__WB_REVISION__=.*$/, ""));
    for (const path of ["/", "/manifest.webmanifest", "/icon.svg", "/icons/icon-192.png", "/icons/maskable-512.png", ...assets]) {
      expect(keys, path).toContain(path);
    }
    expect(keys).not.toContain("/index.html");
    expect(keys).not.toContain("/sw.js");
  });

  it("is installable by Chromium's own criteria", async () => {
    const cdp = await browser.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as {
      installabilityErrors: Array<{ errorId: string }>;
    };
    expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
  });

  it("shows the app after an offline reload, also on a deep link, but never answers the worker's endpoints with it", async () => {
    await browser.setOffline(true);
    try {
      const res = await page.reload();
      expect(res?.fromServiceWorker()).toBe(true);
      await shellRendered(page);

      const deep = await page.goto(`${worker.url}/chat/bob@example.com?x=1`);
      expect(deep?.fromServiceWorker()).toBe(true);
      await shellRendered(page);

      for (const path of ["/healthz", "/.well-known/host-meta", "/robots.txt"]) {
        await expect(page.goto(`${worker.url}${path}`), path).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
      }
    } finally {
      await browser.setOffline(false);
    }
  });

  it("caches nothing at runtime: worker endpoints and unknown files always go to the network", async () => {
    await page.goto(`${worker.url}/`);
    await shellRendered(page);
    const before = await cachedPaths(page);
    const statuses = await page.evaluate(async () => {
      const out: number[] = [];
      for (const path of ["/healthz", "/.well-known/host-meta", "/xmpp-websocket", "/open/1", "/nothing-here.txt"]) {
        out.push((await fetch(path)).status);
      }
      return out;
    });
    // /healthz's own answer from the network: 200, or 503 while this worker's default XMPP upstream is down.
    expect([200, 503]).toContain(statuses[0]);
    expect(await cachedPaths(page)).toEqual(before);
    expect(before.filter((p) => /healthz|well-known|xmpp|open|nothing/.test(p))).toEqual([]);
  });

  it("needs no inline script (the page runs under script-src 'self')", async () => {
    const html = readFileSync(join(ROOT, "web/dist/index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\//);
      expect(body?.trim()).toBe("");
    }
    expect(html).not.toMatch(/\son[a-z]+="/i);
    expect(problems).toEqual([]);
  });
});
