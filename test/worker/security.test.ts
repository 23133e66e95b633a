// Security and caching headers on the PWA's static responses (worker/http/security.ts), in workerd with
// the built web/dist (npm run build).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { servesShell } from "../../web/src/pwa/routes";
import { namesFile } from "../../worker/http/security";
import app from "../../worker/index";

function directives(csp: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (csp ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values.join(" "));
  }
  return out;
}

async function hashedAssets(): Promise<string[]> {
  const html = await (await SELF.fetch("http://example.com/")).text();
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
}

describe("PWA responses: security headers", () => {
  it("HTML carries a strict CSP without inline script or style", async () => {
    for (const path of ["/", "/index.html", "/chat/alice@example.com"]) {
      const res = await SELF.fetch(`http://example.com${path}`, { headers: { accept: "text/html" } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      const csp = directives(res.headers.get("content-security-policy"));
      expect(csp.get("default-src")).toBe("'none'");
      expect(csp.get("script-src")).toBe("'self'");
      expect(csp.get("style-src")).toBe("'self'");
      expect(csp.get("img-src")).toBe("'self' data: blob:");
      expect(csp.get("connect-src")).toBe("'self' wss://example.com/xmpp-websocket wss://example.com/live/");
      expect(csp.get("media-src"), "the watch page's Media Source Extensions video").toBe("'self' blob:");
      expect(csp.get("manifest-src")).toBe("'self'");
      expect(csp.get("worker-src")).toBe("'self'");
      expect(csp.get("frame-ancestors")).toBe("'none'");
      expect(csp.get("base-uri")).toBe("'none'");
      expect(csp.get("object-src")).toBe("'none'");
      expect(res.headers.get("content-security-policy")).not.toMatch(/unsafe|\*/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("permissions-policy")).toContain("camera=()");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("cache-control"), path).toBe("no-cache");
      expect(res.headers.get("strict-transport-security"), "no HSTS over plain http").toBeNull();
    }
  });

  it("the built page needs nothing inline (so the CSP above does not break it)", async () => {
    const html = await (await SELF.fetch("http://example.com/")).text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(await hashedAssets()).not.toEqual([]);
  });

  it("sends HSTS over https only, and ws:// in connect-src only for plain http on loopback", async () => {
    const https = await SELF.fetch("https://chat.example.com/");
    expect(https.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(directives(https.headers.get("content-security-policy")).get("connect-src")).toBe(
      "'self' wss://chat.example.com/xmpp-websocket wss://chat.example.com/live/",
    );
    const local = await SELF.fetch("http://127.0.0.1:8787/");
    expect(local.headers.get("strict-transport-security")).toBeNull();
    expect(directives(local.headers.get("content-security-policy")).get("connect-src")).toBe(
      "'self' ws://127.0.0.1:8787/xmpp-websocket ws://127.0.0.1:8787/live/",
    );
  });

  it("adds XMPP_CONNECT_SRC sources to connect-src (other XMPP servers found by XEP-0156)", async () => {
    const res = await app.request(
      "https://chat.example.com/",
      {},
      { ...env, XMPP_CONNECT_SRC: "wss://xmpp.other.example, https://other.example" },
    );
    expect(directives(res.headers.get("content-security-policy")).get("connect-src")).toBe(
      "'self' wss://chat.example.com/xmpp-websocket wss://chat.example.com/live/ wss://xmpp.other.example https://other.example",
    );
  });
});

describe("PWA responses: caching", () => {
  it("serves the service worker script and the manifest no-cache, with their own CSP", async () => {
    const sw = await SELF.fetch("https://chat.example.com/sw.js");
    expect(sw.status).toBe(200);
    expect(sw.headers.get("content-type")).toMatch(/javascript/);
    expect(sw.headers.get("cache-control")).toBe("no-cache");
    expect(directives(sw.headers.get("content-security-policy")).get("connect-src")).toContain("'self'");
    const manifest = await SELF.fetch("https://chat.example.com/manifest.webmanifest");
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get("cache-control")).toBe("no-cache");
  });

  it("marks hashed /assets/* immutable for a year", async () => {
    const assets = await hashedAssets();
    for (const path of assets) {
      const res = await SELF.fetch(`https://chat.example.com${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
  });

  it("answers a missing /assets/* or /.well-known/* file with a plain 404, not the SPA page", async () => {
    for (const path of ["/assets/index-0000stale.js", "/.well-known/security.txt"]) {
      const res = await SELF.fetch(`https://chat.example.com${path}`, { headers: { accept: "text/html" } });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
      expect(await res.text(), path).toBe("Not found\n");
    }
  });

  it("serves /robots.txt as a real file: crawlers may read the app, not the worker's endpoints", async () => {
    const res = await SELF.fetch("https://chat.example.com/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^User-agent: \*$/m);
    for (const path of ["/xmpp-websocket", "/healthz", "/open/", "/send/", "/idle/", "/close/", "/fcs/", "/upload/"]) {
      expect(text, path).toContain(`\nDisallow: ${path}\n`);
    }
    expect(text).not.toMatch(/^Disallow: \/$/m);
  });

  it("answers a missing file of a static type (any depth) with a plain 404; app routes keep the SPA page", async () => {
    for (const path of ["/favicon.ico", "/nothing-here.txt", "/sitemap.xml", "/apple-touch-icon-precomposed.png", "/x/y.js"]) {
      const res = await SELF.fetch(`https://chat.example.com${path}`, { headers: { accept: "text/html" } });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toBe("text/plain; charset=utf-8");
      expect(await res.text(), path).toBe("Not found\n");
    }
    for (const path of ["/chat/bob@example.com", "/roster", "/opened", "/x.php", "/index.htm"]) {
      const res = await SELF.fetch(`https://chat.example.com${path}`, { headers: { accept: "text/html" } });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<div id="app">');
    }
  });

  it("404s exactly the file paths the service worker never answers with the shell (web/src/pwa/routes.ts)", () => {
    const paths = ["/robots.txt", "/a.JSON", "/x.css", "/m.mjs", "/f.woff2", "/i.webp", "/chat/bob@example.com", "/x.php"];
    for (const path of [...paths, "/roster", "/chat/bob@example.org", "/a.jpeg", "/a.avif", "/m.map", "/w.webmanifest"]) {
      expect(namesFile(path), path).toBe(!servesShell(path));
    }
  });

  it("without the assets binding (a router-only deployment) any other path is a plain 404, not a 500", async () => {
    const { ASSETS: _, ...routerOnly } = env;
    for (const [method, path] of [
      ["GET", "/"],
      ["GET", "/chat/alice"],
      ["HEAD", "/assets/x.js"],
      ["POST", "/x.php"],
    ] as const) {
      const res = await app.request(`https://edge.example.com${path}`, { method }, routerOnly);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      if (method !== "HEAD") expect(await res.text(), path).toBe("Not found\n");
    }
  });
});
