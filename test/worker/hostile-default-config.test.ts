// Hostile paths against the default config through SELF: RTMPT off, XMPP on. Unknown GETs get
// the SPA, RTMPT paths 404, traversal into assets or .well-known never a 5xx, and no upstream is contacted.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { assertClean, outbound, post, useHostileUpstreams } from "./hostile-support";

useHostileUpstreams();

describe("default config through SELF (RTMPT off, XMPP on)", () => {
  it("unknown GETs get the SPA, RTMPT paths 404, nothing else reaches an upstream", async () => {
    for (const path of [
      "/admin",
      "/../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/.env",
      "/wp-login.php",
      "/a?url=http://evil",
    ]) {
      const res = await SELF.fetch(`http://example.com${path}`, { headers: { accept: "text/html" } });
      await assertClean(res, `SELF GET ${path}`, { spa: true });
    }
    for (const path of ["/open/1", "/idle/x/1", "/fcs/ident2"]) {
      const res = await SELF.fetch(`http://example.com${path}`, post());
      await assertClean(res, `SELF POST ${path}`, { statuses: [404] });
    }
    for (const path of ["/.well-known/../../etc/passwd", "/.well-known/%2e%2e/secret", "/assets/..%2f..%2fworker.js"]) {
      const res = await SELF.fetch(`http://example.com${path}`);
      expect(res.status, path).toBeLessThan(500);
      await res.body?.cancel();
    }
    expect(outbound).toEqual([]);
  });
});
