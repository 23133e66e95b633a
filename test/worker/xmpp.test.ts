// The XMPP WebSocket edge (worker/routes/xmpp.ts) in workerd through the app's public surface. The upstream
// is a `fetch` stand-in answering 101 with a WebSocketPair end (unit test); the real chain through
// Prosody is test/e2e/xmpp-edge.test.ts.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../worker/index";
import { HANDSHAKE_TIMEOUT_MS } from "../../worker/routes/xmpp";
import { XMPP_HANDSHAKE } from "./hostile-support";
import { logRecords } from "./log-records";

const UPSTREAM = "ws://xmpp-upstream.test:5280/xmpp-websocket";

function vars(overrides: Record<string, string> = {}) {
  return { ...env, XMPP_WEBSOCKET_URL: UPSTREAM, ...overrides };
}

const HANDSHAKE = XMPP_HANDSHAKE;

function handshake(path = "/xmpp-websocket", headers: Record<string, string> = {}, e = vars(), method = "GET") {
  return app.request(`https://chat.example${path}`, { method, headers: { ...HANDSHAKE, ...headers } }, e);
}

/** Upstream stand-in: records the request, answers like an RFC 7395 server (101 + `xmpp`). */
function upstreamAccepts(): Request[] {
  const seen: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push(req);
    const pair = new WebSocketPair();
    pair[1].accept();
    return new Response(null, { status: 101, webSocket: pair[0], headers: { "sec-websocket-protocol": "xmpp" } });
  });
  return seen;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("XMPP WebSocket edge: refusals", () => {
  it("answers a plain GET with 426 Upgrade Required and a short plain-text body", async () => {
    for (const method of ["GET", "HEAD"]) {
      const res = await app.request("https://chat.example/xmpp-websocket", { method }, vars());
      expect(res.status, method).toBe(426);
      expect(res.headers.get("upgrade")).toBe("websocket");
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      if (method === "GET") expect(await res.text()).toBe("Upgrade required: this is an XMPP WebSocket endpoint (RFC 7395)\n");
    }
  });

  it("answers other methods with 405 Allow: GET", async () => {
    const res = await app.request("https://chat.example/xmpp-websocket", { method: "POST", body: "x" }, vars());
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
  });

  it("rejects handshakes without the xmpp subprotocol, a key, or version 13 (nothing sent upstream)", async () => {
    const seen = upstreamAccepts();
    const noXmpp = await handshake("/xmpp-websocket", { "sec-websocket-protocol": "chat, mqtt" });
    expect(noXmpp.status).toBe(400);
    expect(await noXmpp.text()).toContain("must offer xmpp");
    const noKey = await handshake("/xmpp-websocket", { "sec-websocket-key": "" });
    expect(noKey.status).toBe(400);
    const v8 = await handshake("/xmpp-websocket", { "sec-websocket-version": "8" });
    expect(v8.status).toBe(426);
    expect(v8.headers.get("sec-websocket-version")).toBe("13");
    expect(seen).toEqual([]);
  });

  it("is a 404 when XMPP_WEBSOCKET_URL is empty, and leaves other paths to the app", async () => {
    const off = await handshake("/xmpp-websocket", {}, vars({ XMPP_WEBSOCKET_URL: "" }));
    expect(off.status).toBe(404);
    expect(await off.text()).toBe("XMPP is not enabled on this host\n");
    const seen = upstreamAccepts();
    const other = await handshake("/xmpp-websocket-other");
    expect(other.status).not.toBe(101);
    expect(seen).toEqual([]);
  });

  it("refuses to loop back to itself (508)", async () => {
    const res = await handshake("/xmpp-websocket", {}, vars({ XMPP_WEBSOCKET_URL: "wss://chat.example/xmpp-websocket" }));
    expect(res.status).toBe(508);
  });
});

describe("XMPP WebSocket edge: passthrough", () => {
  it("passes the upgrade to the configured upstream only, with the client's subprotocol offer", async () => {
    const seen = upstreamAccepts();
    const res = await handshake("/xmpp-websocket?target=evil.example", {
      cookie: "session=secret",
      "x-forwarded-for": "6.6.6.6",
      "cf-connecting-ip": "203.0.113.7",
      origin: "https://chat.example",
      host: "chat.example",
    });
    expect(res.status).toBe(101);
    expect(res.webSocket).toBeTruthy();
    expect(res.headers.get("sec-websocket-protocol")).toBe("xmpp");
    expect(seen).toHaveLength(1);
    const up = seen[0] as Request;
    expect(up.url).toBe("http://xmpp-upstream.test:5280/xmpp-websocket"); // client's path and query ignored
    expect(up.method).toBe("GET");
    expect(up.headers.get("upgrade")).toBe("websocket");
    expect(up.headers.get("sec-websocket-protocol")).toBe("xmpp");
    expect(up.headers.get("sec-websocket-key")).toBe(HANDSHAKE["sec-websocket-key"]);
    expect(up.headers.get("origin")).toBe("https://chat.example");
    expect(up.headers.get("cookie")).toBeNull();
    expect(up.headers.get("host")).not.toBe("chat.example");
    expect(up.headers.get("x-forwarded-host")).toBe("chat.example");
    expect(up.headers.get("x-forwarded-for")).toBe("203.0.113.7");
    expect(up.headers.get("x-forwarded-proto")).toBe("https");
    expect(up.headers.get("forwarded")).toBe('for=203.0.113.7;host="chat.example";proto=https');
  });

  it("opens wss:// upstreams over https", async () => {
    const seen = upstreamAccepts();
    const res = await handshake("/xmpp-websocket", {}, vars({ XMPP_WEBSOCKET_URL: "wss://xmpp.example.org/ws?x=1" }));
    expect(res.status).toBe(101);
    expect(seen[0]?.url).toBe("https://xmpp.example.org/ws?x=1");
  });

  it("serves the configured XMPP_WEBSOCKET_PATH instead of /xmpp-websocket", async () => {
    const seen = upstreamAccepts();
    const e = vars({ XMPP_WEBSOCKET_PATH: "/chat/ws" });
    expect((await handshake("/chat/ws", {}, e)).status).toBe(101);
    expect((await handshake("/xmpp-websocket", {}, e)).status).not.toBe(101);
    expect(seen).toHaveLength(1);
  });
});

describe("XMPP WebSocket edge: upstream failures", () => {
  it("answers 502 when the upstream is unreachable or refuses the upgrade, and logs the outage once", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const logs = vi.spyOn(console, "info").mockImplementation(() => {});
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("Network connection lost."));
    for (let i = 0; i < 3; i++) {
      const res = await handshake();
      expect(res.status).toBe(502);
      expect(await res.text()).toBe("Bad gateway: the XMPP server is unreachable\n");
    }
    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("It works!", { status: 200 }));
    const refused = await handshake();
    expect(refused.status).toBe(502);
    expect(await refused.text()).toBe("Bad gateway: the XMPP server refused the WebSocket upgrade\n");
    const down = logRecords(errors, "xmpp_upstream_down");
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({
      event: "xmpp_upstream_down",
      reason: "unreachable",
      upstream: "xmpp-upstream.test:5280",
    });

    upstreamAccepts();
    expect((await handshake()).status).toBe(101);
    const up = logRecords(logs, "xmpp_upstream_up");
    expect(up).toHaveLength(1);
    expect(up[0]).toMatchObject({ event: "xmpp_upstream_up", failures: 4 });
  });

  it("answers 504 when the upstream does not answer the handshake in time, and closes a late WebSocket", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.useFakeTimers();
    try {
      let answer: (r: Response) => void = () => {};
      vi.spyOn(globalThis, "fetch").mockImplementation(() => new Promise<Response>((resolve) => (answer = resolve)));
      const pending = handshake();
      await vi.advanceTimersByTimeAsync(HANDSHAKE_TIMEOUT_MS + 1);
      const res = await pending;
      expect(res.status).toBe(504);
      expect(await res.text()).toBe("Gateway timeout: the XMPP server did not answer\n");
      expect(logRecords(errors, "xmpp_upstream_down")).toMatchObject([{ reason: "timeout" }]);
      const pair = new WebSocketPair();
      const closed = new Promise<number>((resolve) => pair[1].addEventListener("close", (e) => resolve(e.code)));
      pair[1].accept();
      answer(new Response(null, { status: 101, webSocket: pair[0] }));
      expect(await closed).toBe(1001);
    } finally {
      vi.useRealTimers();
    }
  });

  it("never leaks the upstream URL to the client", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connect ECONNREFUSED xmpp-upstream.test:5280"));
    const res = await handshake();
    expect(res.status).toBe(502);
    const body = await res.text();
    expect(body).not.toContain("xmpp-upstream");
    expect(body).not.toContain("ECONNREFUSED");
  });
});
