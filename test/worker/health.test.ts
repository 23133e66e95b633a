import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("composition root", () => {
  it("answers /healthz with the active mode and no secrets", async () => {
    const res = await SELF.fetch("http://example.com/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { ok: boolean; rtmpt: { mode: string }; xmpp: { enabled: boolean } };
    expect(body.ok).toBe(true);
    expect(body.rtmpt.mode).toBe("off");
    expect(body.xmpp.enabled).toBe(true);
    expect(JSON.stringify(body)).not.toContain("secret");
  });

  it("serves the PWA shell from static assets, with SPA fallback for unknown paths", async () => {
    const root = await SELF.fetch("http://example.com/");
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="app">');
    const deep = await SELF.fetch("http://example.com/chat/alice@example.com", { headers: { accept: "text/html" } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app">');
  });
});
