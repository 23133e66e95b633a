/**
 * The PWA update flow, end to end (Service Workers, W3C; workbox-window): a build "v1" is served by the
 * worker under wrangler dev and controls two open tabs; a build "v2" is deployed into the same assets
 * directory while they stay open. Coming back online, each tab finds the new service worker waiting
 * and offers "Update available — Reload" without reloading by itself; clicking Reload in one tab
 * activates v2 and reloads that tab into it, while the other tab is told and still not reloaded.
 * Builds go to temp directories (never web/dist, which other suites use).
 */
import { cpSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { freePort, type Proc, ROOT, startProcess, tempDir, waitFor } from "../support/process";
import { healthzAnswers } from "../support/wrangler-dev";

async function buildWeb(outDir: string, buildId: string): Promise<void> {
  const proc = startProcess("npx", ["vite", "build", "--config", "web/vite.config.ts", "--outDir", outDir, "--emptyOutDir"], {
    // NODE_ENV is "test" here, as in any build started from a test: web/vite.config.ts must still build for production.
    env: { VITE_BUILD_ID: buildId, NO_COLOR: "1" },
  });
  const code = await new Promise<number | null>((resolve) => proc.child.once("exit", (c) => resolve(c)));
  if (code !== 0) throw new Error(`vite build ${buildId} failed (${code}):\n${proc.output().slice(-4000)}`);
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** A deploy: the new build's files replace the old ones; sw.js last, so no half-deployed sw.js is ever seen. */
function deploy(from: string, to: string): void {
  const fresh = files(from);
  for (const f of fresh.filter((f) => f !== "sw.js")) cpSync(join(from, f), join(to, f));
  for (const f of files(to).filter((f) => !fresh.includes(f))) rmSync(join(to, f));
  cpSync(join(from, "sw.js"), join(to, "sw.js"));
}

/** wrangler dev as test/support/wrangler-dev.ts runs it, but serving the given assets directory. */
async function startWorkerServing(assets: string): Promise<{ url: string; proc: Proc }> {
  const port = await freePort();
  const inspector = await freePort();
  const proc = startProcess(
    "npx",
    [
      ...["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector)],
      ...["--assets", assets, "--persist-to", tempDir("wrangler-state"), "--log-level", "info"],
    ],
    { env: { WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1", WRANGLER_LOG_PATH: `${ROOT}/node_modules/.wrangler-logs` } },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor("wrangler dev", () => healthzAnswers(url), 60_000, proc);
  return { url, proc };
}

const build = (page: Page) => page.evaluate(() => document.documentElement.dataset.build ?? "");
const moduleScript = (html: string) => /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1] ?? "missing";

describe("PWA update flow: a new deploy is offered, and applied only on request", () => {
  const v1 = tempDir("pwa-v1");
  const v2 = tempDir("pwa-v2");
  let worker: { url: string; proc: Proc };
  let browser: BrowserContext;

  beforeAll(async () => {
    await buildWeb(v1, "v1");
    await buildWeb(v2, "v2");
    worker = await startWorkerServing(v1);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.proc.stop();
    rmSync(v1, { recursive: true, force: true });
    rmSync(v2, { recursive: true, force: true });
  });

  it("/healthz reports the label of the build it serves (its /build.txt)", async () => {
    expect(readFileSync(join(v1, "build.txt"), "utf8")).toBe("v1\n");
    const health = (await (await fetch(`${worker.url}/healthz`)).json()) as { build: string };
    expect(health.build).toBe("v1");
  });

  it("builds differ only where the version string made them differ", () => {
    expect(moduleScript(readFileSync(join(v1, "index.html"), "utf8"))).not.toBe(
      moduleScript(readFileSync(join(v2, "index.html"), "utf8")),
    );
    expect(readFileSync(join(v1, "sw.js"), "utf8")).not.toBe(readFileSync(join(v2, "sw.js"), "utf8"));
    expect(readFileSync(join(v1, "icons/icon-512.png")).equals(readFileSync(join(v2, "icons/icon-512.png")))).toBe(true);
  });

  it("offers the deployed version in every open tab and reloads only the tab whose user accepts", async () => {
    const [first, second] = [await browser.newPage(), await browser.newPage()];
    const errors: string[] = [];
    for (const page of [first, second]) page.on("pageerror", (e) => errors.push(String(e)));

    await first.goto(`${worker.url}/`);
    await first.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    for (const page of [first, second]) {
      await page.goto(`${worker.url}/`);
      expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${worker.url}/sw.js`);
      expect(await build(page)).toBe("v1");
      // Survives only as long as the page is not reloaded.
      await page.evaluate(() => {
        (window as unknown as { notReloaded: boolean }).notReloaded = true;
      });
    }

    deploy(v2, v1);
    const v2Sw = readFileSync(join(v2, "sw.js"), "utf8");
    await waitFor(
      "wrangler dev serving the v2 sw.js",
      async () => (await (await fetch(`${worker.url}/sw.js`)).text()) === v2Sw,
      60_000,
      worker.proc,
    );

    // Back online, each page checks for a new service worker (src/pwa/register.tsx). Repeated until
    // offered: wrangler dev may still be reloading the assets when the first check runs.
    const offered = (page: Page) => page.getByRole("status").filter({ hasText: "Update available" });
    await waitFor(
      "the update offered in both tabs",
      async () => {
        await browser.setOffline(true);
        await first.waitForFunction(() => !navigator.onLine);
        await browser.setOffline(false);
        await first.waitForFunction(() => navigator.onLine);
        await Promise.all([first, second].map((page) => offered(page).waitFor({ timeout: 15_000 })));
        return true;
      },
      90_000,
      worker.proc,
    );
    for (const page of [first, second]) {
      const banner = offered(page);
      expect(await banner.textContent()).toMatch(/Update available\s*—\s*Reload/);
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      expect(await build(page)).toBe("v1");
    }
    expect(await first.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state)).toBe("installed");

    // A tab opened while the new version waits still gets v1 from the active worker, and is offered v2 at once.
    const third = await browser.newPage();
    await third.goto(`${worker.url}/`);
    await offered(third).waitFor({ timeout: 60_000 });
    expect(await build(third)).toBe("v1");
    await third.close();

    const reloaded = first.waitForEvent("load", { timeout: 60_000 });
    await first.getByRole("button", { name: "Reload" }).click();
    await reloaded;
    await first.waitForFunction(() => document.documentElement.dataset.build === "v2");
    expect(await first.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBeUndefined();
    expect(await first.evaluate(() => document.querySelector('script[type="module"]')?.getAttribute("src"))).toBe(
      moduleScript(readFileSync(join(v2, "index.html"), "utf8")),
    );
    const registration = await first.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return {
        active: r?.active?.state,
        waiting: r?.waiting ?? null,
        controlled: navigator.serviceWorker.controller === r?.active,
      };
    });
    expect(registration).toEqual({ active: "activated", waiting: null, controlled: true });
    expect(
      await first
        .getByRole("status")
        .filter({ hasText: /Update available|updated in another tab/ })
        .count(),
    ).toBe(0);

    // The other tab now runs under v2's worker but keeps the user's page until they choose to reload.
    await second.getByRole("status").filter({ hasText: "updated in another tab" }).waitFor({ timeout: 60_000 });
    expect(await second.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await build(second)).toBe("v1");
    await second.getByRole("button", { name: "Reload" }).click();
    await second.waitForFunction(() => document.documentElement.dataset.build === "v2");
    expect(errors).toEqual([]);
  });
});
