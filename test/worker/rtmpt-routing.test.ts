import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../../worker/index";

describe("RTMPT routing with RTMPT off (default config)", () => {
  it("answers the five prefixes with a plain 404, and leaves look-alike paths to the app", async () => {
    for (const path of ["/open/1", "/fcs/ident2", "/idle/abc/1", "/send/abc/2", "/close/abc/3"]) {
      const res = await SELF.fetch(`http://example.com${path}`, { method: "POST", body: new Uint8Array([0]) });
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe("RTMPT is not enabled on this host\n");
    }
    // Off comes before the method check: a GET is told the same.
    const get = await SELF.fetch("http://example.com/fcs");
    expect(get.status).toBe(404);
    expect(await get.text()).toBe("RTMPT is not enabled on this host\n");
    for (const path of ["/opened", "/Open/1", "/fcs.txt"]) {
      const lookAlike = await SELF.fetch(`http://example.com${path}`, { headers: { accept: "text/html" } });
      expect(lookAlike.status, path).toBe(path === "/fcs.txt" ? 404 : 200);
      expect(await lookAlike.text(), path).toMatch(path === "/fcs.txt" ? /^Not found/ : /<div id="app">/);
    }
  });

  it("routes the path the handlers parse: a percent-escaped prefix is not RTMPT (the edge normally decodes it first)", async () => {
    const res = await app.request("http://example.com/%6Fpen/1", { headers: { accept: "text/html" } }, env);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="app">');
  });
});
