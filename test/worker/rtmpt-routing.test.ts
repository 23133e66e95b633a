import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("RTMPT routing with RTMPT off (default config)", () => {
  it("answers the five prefixes with a plain 404, and leaves look-alike paths to the app", async () => {
    for (const path of ["/open/1", "/fcs/ident2", "/idle/abc/1", "/send/abc/2", "/close/abc/3"]) {
      const res = await SELF.fetch(`http://example.com${path}`, { method: "POST", body: new Uint8Array([0]) });
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe("RTMPT is not enabled on this host\n");
    }
    const lookAlike = await SELF.fetch("http://example.com/opened", { headers: { accept: "text/html" } });
    expect(lookAlike.status).toBe(200);
    expect(await lookAlike.text()).toContain('<div id="app">');
  });
});
