// Hostile headers and queries, in workerd: CR/LF injection, client Host / X-Forwarded-* /
// Forwarded claims (replaced, RFC 7239), and queries or headers trying to choose an upstream (SSRF): only
// the configured RTMPT origins and XMPP upstream are ever contacted.
import { describe, expect, it } from "vitest";
import {
  assertForwardedPathsClean,
  openSession,
  outbound,
  post,
  request,
  useHostileUpstreams,
  XMPP_HANDSHAKE,
} from "./hostile-support";

useHostileUpstreams();

describe("headers: injection, Host and forwarding claims", () => {
  it("CR/LF encoded into the path or query never becomes a header, upstream or downstream", async () => {
    const id = await openSession();
    for (const path of [
      "/open/1?a=%0d%0aX-Injected:%201",
      `/idle/${id}/1?%0d%0aHost:%20evil.example%0d%0a%0d%0aGET%20/admin`,
      "/fcs/ident2?x=%0AX-Injected:1",
    ]) {
      const res = await request("proxy", path, post());
      expect(res.status, path).toBeLessThan(500);
      expect(res.headers.has("x-injected")).toBe(false);
      await res.body?.cancel();
    }
    assertForwardedPathsClean("crlf");
    for (const req of outbound) {
      expect(req.headers.has("x-injected")).toBe(false);
      req.headers.forEach((v) => {
        expect(v).not.toMatch(/[\r\n]/);
      });
    }
  });

  it("the runtime refuses raw CR/LF in header values, so the worker never sees one", () => {
    expect(() => new Headers({ "x-a": "1\r\nX-Injected: 1" })).toThrow();
  });

  it("client Host, X-Forwarded-*, Forwarded, X-Original-URL never pick the upstream and are replaced", async () => {
    const claims = {
      host: "evil.example",
      "x-forwarded-host": "evil.example",
      "x-forwarded-for": "10.0.0.1",
      "x-forwarded-proto": "gopher",
      "x-forwarded-port": "22",
      "x-real-ip": "10.0.0.1",
      forwarded: 'for=10.0.0.1;host="169.254.169.254";proto=http',
      "x-original-url": "/admin",
      "x-rewrite-url": "/admin",
      "x-http-method-override": "DELETE",
      "cf-connecting-ip": "203.0.113.9",
    };
    const id = await openSession();
    outbound.length = 0;
    for (const path of ["/open/1", "/fcs/ident2", `/send/${id}/1`]) {
      const res = await request("proxy", path, post(new Uint8Array([0]), claims));
      expect(res.status, path).toBeLessThan(500);
      await res.body?.cancel();
    }
    assertForwardedPathsClean("claims");
    for (const req of outbound) {
      const h = req.headers;
      expect(h.get("x-forwarded-host")).toBe("porthole.example");
      expect(h.get("x-forwarded-for")).toBe("203.0.113.9");
      expect(h.get("x-forwarded-proto")).toBe("https");
      expect(h.get("forwarded")).toBe('for=203.0.113.9;host="porthole.example";proto=https');
      const dropped = ["x-forwarded-port", "x-real-ip", "x-original-url", "x-rewrite-url", "x-http-method-override"];
      for (const name of [...dropped, "cf-connecting-ip"]) {
        expect(h.has(name), name).toBe(false);
      }
      expect(h.get("host") ?? "").not.toContain("evil");
    }
  });
});

describe("query strings and headers trying to choose an upstream (SSRF)", () => {
  const queries = [
    "?origin=http://169.254.169.254/latest/meta-data",
    "?url=http://127.0.0.1:22/&upstream=evil.example",
    "?host=evil.example&port=6379",
    "?@evil.example",
    "?RTMPT_ORIGINS=http://evil.example",
    "?redirect=//evil.example",
  ];
  it("proxy mode: every RTMPT request still goes to a configured origin", async () => {
    const id = await openSession();
    for (const q of queries) {
      for (const path of ["/open/1", "/fcs/ident2", `/idle/${id}/1`, `/close/${id}/2`]) {
        const res = await request("proxy", `${path}${q}`, post());
        expect(res.status, `${path}${q}`).toBeLessThan(500);
        await res.body?.cancel();
      }
    }
    assertForwardedPathsClean("ssrf");
  });

  it("gateway mode: /open only ever tries the configured rtmp:// origin (dead here: 502)", async () => {
    for (const q of queries) {
      const res = await request("gateway", `/open/1${q}`, post(new Uint8Array([0]), { host: "127.0.0.1:1935" }));
      expect(res.status, q).toBe(502);
      expect(await res.text()).toBe("RTMP origin unavailable\n");
    }
    expect(outbound).toEqual([]);
  });

  it("XMPP: the client's path, query and Host never change the WebSocket upstream", async () => {
    for (const q of queries) {
      const res = await request("proxy", `/xmpp-websocket${q}`, {
        headers: { ...XMPP_HANDSHAKE, host: "evil.example" },
      });
      expect(res.status, q).toBe(101);
      res.webSocket?.accept();
      res.webSocket?.close();
    }
    expect(outbound.map((r) => r.url)).toEqual(queries.map(() => "http://xmpp-upstream.internal:5280/xmpp-websocket"));
  });
});
