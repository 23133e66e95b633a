// WebSocket upgrade abuse on every route, in workerd: only /xmpp-websocket with a proper RFC 6455
// handshake and RFC 7395's `xmpp` subprotocol gets a 101; malformed handshakes are a 4xx and go nowhere,
// and RTMPT requests carrying Upgrade headers are forwarded without them.
import { describe, expect, it } from "vitest";
import {
  assertClean,
  assertForwardedPathsClean,
  type Mode,
  outbound,
  request,
  useHostileUpstreams,
  XMPP_HANDSHAKE,
} from "./hostile-support";

useHostileUpstreams();

describe("WebSocket upgrade abuse on every route", () => {
  const upgrade = XMPP_HANDSHAKE;
  it("only the XMPP path with a proper handshake gets a 101; elsewhere a normal answer, never a 5xx", async () => {
    const paths = ["/", "/healthz", "/.well-known/host-meta", "/.well-known/host-meta.json", "/assets/x.js"];
    paths.push("/chat/alice", "/open/1", "/idle/AAAA/1", "/fcs/ident2", "/xmpp-websocket/x", "/xmpp-websocketx");
    for (const mode of ["proxy", "gateway", "off"] as Mode[]) {
      for (const path of paths) {
        for (const method of ["GET", "POST"]) {
          const init: RequestInit = { method, headers: upgrade };
          if (method === "POST") init.body = new Uint8Array([0]);
          const res = await request(mode, path, init);
          expect(res.status, `${mode} ${method} ${path}`).not.toBe(101);
          // A gateway /open tries its (dead) rtmp:// origin: 502 is its intended answer, and /healthz reports
          // that origin down with 503.
          const gatewayOpen = mode === "gateway" && method === "POST" && path === "/open/1";
          const gatewayHealth = mode === "gateway" && method === "GET" && path === "/healthz";
          const expected = gatewayOpen ? 502 : gatewayHealth ? 503 : res.status < 500 ? res.status : 0;
          expect(res.status, `${mode} ${method} ${path}`).toBe(expected);
          expect(res.webSocket).toBeNull();
          await res.body?.cancel();
        }
      }
    }
    // RTMPT POSTs with upgrade headers were forwarded in proxy mode, but without Upgrade / Connection.
    for (const req of outbound) {
      expect(req.headers.has("upgrade"), req.url).toBe(false);
      expect(req.headers.has("connection"), req.url).toBe(false);
    }
    assertForwardedPathsClean("upgrade abuse");
  });

  it("malformed handshakes on the XMPP path are refused with a 4xx and nothing goes upstream", async () => {
    const bad: [Record<string, string>, string, number][] = [
      [{ ...upgrade, "sec-websocket-protocol": "chat" }, "GET", 400],
      [{ ...upgrade, "sec-websocket-key": "short" }, "GET", 400],
      [{ ...upgrade, "sec-websocket-key": `${"A".repeat(200)}==` }, "GET", 400],
      [{ ...upgrade, "sec-websocket-version": "8" }, "GET", 426],
      [{ ...upgrade, upgrade: "h2c" }, "GET", 426],
      [{ ...upgrade, "sec-websocket-protocol": "x".repeat(8000) }, "GET", 400],
      [upgrade, "POST", 405],
      [upgrade, "PUT", 405],
      [{}, "GET", 426],
    ];
    for (const [headers, method, status] of bad) {
      const init: RequestInit = { method, headers };
      if (method !== "GET") init.body = "x";
      const res = await request("proxy", "/xmpp-websocket", init);
      await assertClean(res, `${method} ${JSON.stringify(headers).slice(0, 60)}`, { statuses: [status] });
    }
    expect(outbound).toEqual([]);
  });
});
