// /healthz (worker/routes/health.ts) in workerd: the configuration summary, the build label of the served
// PWA, and the probes of the upstreams with the 200 / 503 verdict. The XMPP upstream is a `fetch` stand-in
// (up, refusing, hanging); gateway-mode origins are real TCP connects to a closed port. The probe against
// real Prosody and ejabberd is in test/e2e/xmpp-edge-*.test.ts, the PWA's use of it in pwa-login-causes.
import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../worker/index";
import { XMPP_HANDSHAKE } from "./hostile-support";

interface Health {
  ok: boolean;
  build: string;
  rtmpt: { mode: string; up?: number };
  xmpp: { enabled: boolean; up?: boolean; status?: number; error?: string };
}

/** Nothing listens on port 1: a gateway-mode probe is refused at once. */
const DEAD_RTMP = "rtmp://127.0.0.1:1";

/** Each test its own upstream URL: the probe result is cached per URL for a few seconds. */
let n = 0;
const upstream = (scheme = "ws") => `${scheme}://xmpp-${++n}.test:5280/xmpp-websocket?x=1`;

type Behaviour = "refuse" | "hang" | ((req: Request) => Response);

/** The XMPP upstream stand-in: records each request and answers as told. */
function xmppUpstream(behaviour: Behaviour): Request[] {
  const seen: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push(req);
    if (behaviour === "refuse") throw new TypeError("Network connection lost.");
    if (behaviour === "hang") {
      return new Promise((_, reject) => req.signal.addEventListener("abort", () => reject(new Error("aborted"))));
    }
    return behaviour(req);
  });
  return seen;
}

async function healthz(vars: Record<string, string>, e: Partial<typeof env> = env) {
  const res = await app.request("https://porthole.example/healthz", {}, { ...e, RTMPT_ORIGINS: "", ...vars });
  return { res, body: (await res.json()) as Health };
}

afterEach(() => vi.restoreAllMocks());

describe("/healthz", () => {
  it("answers with the active mode, the build label and no secrets", async () => {
    xmppUpstream(() => new Response("It works!", { status: 200 }));
    const res = await SELF.fetch("http://example.com/healthz");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Health;
    expect(body.rtmpt.mode).toBe("off");
    expect(body.xmpp.enabled).toBe(true);
    // The label `npm run build` wrote (VITE_BUILD_ID, else "unlabelled"), read from the assets.
    const written = (await (await SELF.fetch("http://example.com/build.txt")).text()).trim();
    expect(written).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(body.build).toBe(written);
    expect(JSON.stringify(body)).not.toContain("secret");
  });

  it('reports build "unknown" without assets, or when the assets have no build.txt (the SPA page instead)', async () => {
    xmppUpstream(() => new Response(null, { status: 200 }));
    const { ASSETS: _, ...bare } = env;
    expect((await healthz({ XMPP_WEBSOCKET_URL: "" }, bare)).body.build).toBe("unknown");
    // The smallest page the fallback could be: a single token, so only its content type gives it away.
    const spa = { fetch: async () => new Response("<html></html>", { headers: { "content-type": "text/html" } }) };
    expect((await healthz({ XMPP_WEBSOCKET_URL: "" }, { ...env, ASSETS: spa as unknown as Fetcher })).body.build).toBe("unknown");
  });

  it("probes the XMPP upstream with a plain GET of its http(s) URL: any HTTP answer is up (200)", async () => {
    const seen = xmppUpstream(() => new Response("Not Acceptable", { status: 406 }));
    const ws = upstream();
    const { res, body } = await healthz({ XMPP_WEBSOCKET_URL: ws });
    expect(res.status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.xmpp).toEqual({ enabled: true, up: true, status: 406 });
    expect(seen.map((r) => [r.method, r.url, r.headers.get("upgrade")])).toEqual([["GET", ws.replace(/^ws:/, "http:"), null]]);
    const wss = upstream("wss");
    await healthz({ XMPP_WEBSOCKET_URL: wss });
    expect(seen[1]?.url).toBe(wss.replace(/^wss:/, "https:"));
  });

  it("answers 503 with ok false when the XMPP upstream refuses the connection", async () => {
    xmppUpstream("refuse");
    const { res, body } = await healthz({ XMPP_WEBSOCKET_URL: upstream() });
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(body.ok).toBe(false);
    expect(body.xmpp).toEqual({ enabled: true, up: false, error: "unreachable" });
  });

  it("gives up on a silent XMPP upstream after 2 s: 503, error timeout", async () => {
    xmppUpstream("hang");
    const started = Date.now();
    const { res, body } = await healthz({ XMPP_WEBSOCKET_URL: upstream() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(res.status).toBe(503);
    expect(body.xmpp).toEqual({ enabled: true, up: false, error: "timeout" });
  });

  it("probes the XMPP upstream at most once per few seconds, also for concurrent requests", async () => {
    const seen = xmppUpstream(() => new Response(null, { status: 200 }));
    const ws = upstream();
    await Promise.all([healthz({ XMPP_WEBSOCKET_URL: ws }), healthz({ XMPP_WEBSOCKET_URL: ws })]);
    await healthz({ XMPP_WEBSOCKET_URL: ws });
    expect(seen).toHaveLength(1);
  });

  it("probes again at once after a WebSocket handshake found the upstream down (no stale 'up')", async () => {
    let upstreamUp = true;
    xmppUpstream(() => {
      if (!upstreamUp) throw new TypeError("Network connection lost.");
      return new Response(null, { status: 200 });
    });
    const ws = upstream();
    expect((await healthz({ XMPP_WEBSOCKET_URL: ws })).res.status).toBe(200);
    upstreamUp = false;
    vi.spyOn(console, "error").mockImplementation(() => {});
    const handshake = await app.request(
      "https://porthole.example/xmpp-websocket",
      { headers: XMPP_HANDSHAKE },
      { ...env, RTMPT_ORIGINS: "", XMPP_WEBSOCKET_URL: ws },
    );
    expect(handshake.status).toBe(502);
    const { res, body } = await healthz({ XMPP_WEBSOCKET_URL: ws });
    expect(res.status).toBe(503);
    expect(body.xmpp).toEqual({ enabled: true, up: false, error: "unreachable" });
  });

  it("does not probe a disabled XMPP edge: enabled false, ok", async () => {
    const seen = xmppUpstream("refuse");
    const { res, body } = await healthz({ XMPP_WEBSOCKET_URL: "" });
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ ok: true, xmpp: { enabled: false } });
    expect(body.xmpp).toEqual({ enabled: false });
    expect(seen).toEqual([]);
  });

  it("answers 503 when every RTMPT origin is down, even with the XMPP upstream up", async () => {
    xmppUpstream(() => new Response(null, { status: 200 }));
    const { res, body } = await healthz({ RTMPT_ORIGINS: DEAD_RTMP, XMPP_WEBSOCKET_URL: upstream() });
    expect(res.status).toBe(503);
    expect(body.ok).toBe(false);
    expect(body.rtmpt.up).toBe(0);
    expect(body.xmpp.up).toBe(true);
  });
});

describe("composition root", () => {
  it("serves the PWA shell from static assets, with SPA fallback for unknown paths", async () => {
    const root = await SELF.fetch("http://example.com/");
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="app">');
    const deep = await SELF.fetch("http://example.com/chat/alice@example.com", { headers: { accept: "text/html" } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app">');
  });
});
