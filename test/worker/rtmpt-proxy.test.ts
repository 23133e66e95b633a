// Proxy mode through the worker's public surface (app.request with proxy-mode vars), in workerd. The
// origins are fakes standing in for `fetch` (unit test); the real origin chain is test/e2e/rtmpt-proxy.test.ts.
import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import app from "../../worker/index";
import { TAG_LENGTH } from "../../worker/rtmpt/origins";

interface Seen {
  url: string;
  headers: Headers;
  body: Uint8Array;
}
type Handler = (req: Request, seen: Seen) => Response | Promise<Response> | "refuse" | "hang";

const A = "http://origin-a.test:1935";
const B = "http://origin-b.test:5080";
let handlers: Record<string, Handler>;
let seen: Seen[];

function fcs(body: BodyInit | null, init: ResponseInit = {}): Response {
  return new Response(body, { status: 200, ...init, headers: { "content-type": "application/x-fcs", ...init.headers } });
}

/** A Red5-like origin: `/open` → `<id>\n`, `/send` echoes its body, `/idle` → 0x01, `/close` → 0x00. */
function red5(id: string): Handler {
  return (req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/fcs/")) return new Response(null, { status: 404 });
    if (path.startsWith("/open/")) return fcs(`${id}\n`);
    if (!path.includes(`/${id}/`)) return new Response(null, { status: 400 });
    if (path.startsWith("/send/")) return req.arrayBuffer().then((b) => fcs(b));
    return fcs(new Uint8Array([path.startsWith("/idle/") ? 1 : 0]));
  };
}

function vars(overrides: Record<string, string> = {}) {
  return { ...env, RTMPT_ORIGINS: `${A},${B}`, RTMPT_TAG_SECRET: "worker-test-secret", ...overrides };
}

function post(path: string, body: BodyInit | null = new Uint8Array([0]), headers: Record<string, string> = {}, e = vars()) {
  return app.request(
    `https://porthole.example${path}`,
    { method: "POST", body, headers: { "content-type": "application/x-fcs", ...headers } },
    e,
  );
}

async function open(e = vars()): Promise<{ id: string; origin: number }> {
  const res = await post("/open/1", new Uint8Array([0]), {}, e);
  expect(res.status).toBe(200);
  const id = (await res.text()).replace(/\n$/, "");
  return { id, origin: Number.parseInt(id.charAt(0), 16) };
}

beforeEach(() => {
  seen = [];
  handlers = { [A]: red5("AAAASESSION1"), [B]: red5("BBBBSESSION2") };
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const handler = handlers[url.origin];
    const record: Seen = { url: req.url, headers: req.headers, body: new Uint8Array(await req.clone().arrayBuffer()) };
    seen.push(record);
    const out = handler ? handler(req, record) : "refuse";
    if (out === "refuse") throw new TypeError("Network connection lost.");
    if (out === "hang") {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    }
    return out;
  });
});
afterEach(() => vi.restoreAllMocks());

describe("proxy mode: what is forwarded", () => {
  it("forwards the five prefixes (exact segment) with path and query, and leaves look-alikes to the app", async () => {
    const res = await post("/fcs/ident2?x=1");
    expect(res.status).toBe(404); // the origin's own answer, as Red5 gives Flash
    expect(seen.map((s) => new URL(s.url).pathname + new URL(s.url).search)).toEqual(["/fcs/ident2?x=1"]);
    const { id } = await open();
    for (const kind of ["send", "idle", "close"]) {
      const r = await post(`/${kind}/${id}/7?a=b`);
      expect(r.status, kind).toBe(200);
    }
    const origin = seen.at(-1)?.url ?? "";
    const originId = id.slice(TAG_LENGTH);
    expect(seen.slice(-3).map((s) => s.url)).toEqual(
      ["send", "idle", "close"].map((k) => `${new URL(origin).origin}/${k}/${originId}/7?a=b`),
    );
    const before = seen.length;
    const lookAlike = await app.request("https://porthole.example/opened", { headers: { accept: "text/html" } }, vars());
    expect(lookAlike.status).toBe(200);
    expect(await lookAlike.text()).toContain('<div id="app">');
    expect(seen.length).toBe(before);
  });

  it("answers bad RTMPT paths itself (400/404) without calling an origin", async () => {
    const cases: [string, number][] = [
      ["/open", 400],
      ["/open/1/2", 400],
      ["/open/x", 400],
      ["/send/abc", 400],
      ["/idle/abc/1/2", 400],
      ["/close/abc/notanumber", 400],
      ["/send/ab-c/1", 400],
      ["/fcs", 404],
      ["/fcs/ident2/x", 404],
      ["/fcs/ident2%2F..%2Fx", 404],
    ];
    for (const [path, status] of cases) {
      const res = await post(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get("content-type"), path).toBe("text/plain; charset=utf-8");
    }
    expect(seen).toEqual([]);
  });

  it("accepts only POST (405 with Allow) and refuses bodies over RTMPT_MAX_BODY with 413, streamed or not", async () => {
    const get = await app.request("https://porthole.example/idle/abc/1", {}, vars());
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const small = vars({ RTMPT_MAX_BODY: "100" });
    const { id } = await open(small);
    const big = await post(`/send/${id}/1`, new Uint8Array(101), {}, small);
    expect(big.status).toBe(413);
    expect(await big.text()).toBe("Request body too large\n");
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array(40));
        c.close();
      },
    });
    const chunked = await post(`/send/${id}/2`, stream, {}, small);
    expect(chunked.status).toBe(413);
    expect(seen.filter((s) => s.url.includes("/send/"))).toEqual([]);
  });

  it("drops hop-by-hop headers, sets its own forwarding headers, never passes the client's Host", async () => {
    await post("/open/1", new Uint8Array([0]), {
      "cf-connecting-ip": "203.0.113.7",
      "x-forwarded-for": "6.6.6.6",
      "x-forwarded-proto": "gopher",
      forwarded: "for=6.6.6.6",
      "x-real-ip": "6.6.6.6",
      connection: "keep-alive, x-secret-hop",
      "x-secret-hop": "1",
      "keep-alive": "timeout=5",
      te: "trailers",
      "proxy-authorization": "Basic Zm9vOmJhcg==",
      authorization: "Bearer this-hosts-token",
      cookie: "session=this-hosts-cookie",
      "user-agent": "Shockwave Flash",
    });
    const h = seen[0]?.headers ?? new Headers();
    expect(h.get("x-forwarded-for")).toBe("203.0.113.7");
    expect(h.get("x-forwarded-proto")).toBe("https");
    expect(h.get("forwarded")).toBe('for=203.0.113.7;host="porthole.example";proto=https');
    for (const name of [
      "x-real-ip",
      "x-secret-hop",
      "keep-alive",
      "te",
      "proxy-authorization",
      "cf-connecting-ip",
      "authorization",
      "cookie",
    ]) {
      expect(h.has(name), name).toBe(false);
    }
    expect(h.get("user-agent")).toBe("Shockwave Flash");
    expect(h.get("content-type")).toBe("application/x-fcs");
    expect(h.get("accept-encoding")).toBe("identity");
    expect([A, B]).toContain(new URL(seen[0]?.url ?? "").origin);
  });

  it("carries every byte value both ways", async () => {
    const { id } = await open();
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const res = await post(`/send/${id}/0`, all, { "content-length": "256" });
    expect(res.status).toBe(200);
    // (Content-Length is added when workerd serialises the response: test/e2e/rtmpt-proxy.test.ts checks it on the wire.)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(all);
    expect(seen.at(-1)?.body).toEqual(all);
  });

  it("rewrites origin URLs in Location / Content-Location / URI (ProxyPassReverse) and strips hop-by-hop replies", async () => {
    handlers[A] = handlers[B] = () =>
      new Response("moved", {
        status: 302,
        headers: {
          location: `${A}/open/1?x=1`,
          "content-location": `${B}/fcs/ident2`,
          uri: "http://elsewhere.example/x",
          connection: "close, x-hop",
          "x-hop": "1",
          "keep-alive": "timeout=5",
        },
      });
    const res = await post("/fcs/ident2");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://porthole.example/open/1?x=1");
    expect(res.headers.get("content-location")).toBe("https://porthole.example/fcs/ident2");
    expect(res.headers.get("uri")).toBe("http://elsewhere.example/x");
    for (const name of ["connection", "x-hop", "keep-alive"]) expect(res.headers.has(name), name).toBe(false);
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });
});

describe("proxy mode: sessions over several origins", () => {
  it("spreads new sessions over the origins and keeps each later request on its origin", async () => {
    const first = await open();
    const second = await open();
    expect(new Set([first.origin, second.origin])).toEqual(new Set([0, 1]));
    for (const s of [first, second, first, second]) {
      seen = [];
      const res = await post(`/idle/${s.id}/3`);
      expect(res.status).toBe(200);
      expect(new URL(seen[0]?.url ?? "").origin).toBe(s.origin === 0 ? A : B);
    }
  });

  it("answers the reply of /open as `<tagged id>\\n` with letters and digits only", async () => {
    const res = await post("/open/1");
    const text = await res.text();
    expect(text).toMatch(/^[0-9a-f]{13}[A-Z0-9]+\n$/);
    expect(res.headers.get("content-type")).toBe("application/x-fcs");
  });

  it("refuses forged (404) and malformed (400) session ids without calling an origin", async () => {
    const { id } = await open();
    seen = [];
    const forged = await post(`/idle/${id.charAt(0)}${"0".repeat(12)}${id.slice(TAG_LENGTH)}/1`);
    expect(forged.status).toBe(404);
    expect(await forged.text()).toBe("Unknown RTMPT session\n");
    const short = await post("/idle/abc/1");
    expect(short.status).toBe(400);
    expect(await short.text()).toBe("Bad RTMPT session id\n");
    expect(seen).toEqual([]);
  });

  it("fails /open over to the next origin when one refuses, times out, answers 5xx or no session id", async () => {
    const e = vars({ RTMPT_ORIGIN_TIMEOUT_MS: "50" });
    for (const broken of ["refuse", "hang", () => new Response("down", { status: 503 }), () => fcs("<html>")] as const) {
      handlers[A] = typeof broken === "string" ? () => broken : broken;
      for (let i = 0; i < 2; i++) expect((await open(e)).origin).toBe(1);
    }
  });

  it("answers 502 when no origin can serve and 504 when they all time out, in plain text", async () => {
    handlers = {};
    const dead = await post("/open/1");
    expect(dead.status).toBe(502);
    expect(dead.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await dead.text()).toBe("Bad gateway: no RTMPT origin could serve this request\n");
    handlers = { [A]: () => "hang", [B]: () => "hang" };
    const slow = await post("/open/1", new Uint8Array([0]), {}, vars({ RTMPT_ORIGIN_TIMEOUT_MS: "50" }));
    expect(slow.status).toBe(504);
    expect(await slow.text()).toBe("Gateway timeout: the RTMPT origin did not answer in time\n");
  });

  it("answers 502 / 504 for a session whose origin died or stalls, without trying another origin", async () => {
    const e = vars({ RTMPT_ORIGIN_TIMEOUT_MS: "50" });
    const { id, origin } = await open(e);
    const mine = origin === 0 ? A : B;
    handlers[mine] = () => "refuse";
    seen = [];
    expect((await post(`/send/${id}/1`, new Uint8Array([0]), {}, e)).status).toBe(502);
    handlers[mine] = () => "hang";
    expect((await post(`/idle/${id}/2`, new Uint8Array([0]), {}, e)).status).toBe(504);
    expect(seen.every((s) => new URL(s.url).origin === mine)).toBe(true);
  });

  it("logs one structured line per session open and close, with origin and outcome, never bodies", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { id, origin } = await open();
    await post(`/send/${id}/0`, new TextEncoder().encode("BODY-MARKER"));
    await post(`/close/${id}/1`);
    handlers = {};
    await post("/open/1");
    const lines = [...info.mock.calls, ...warn.mock.calls].map((c) => JSON.parse(String(c[0])));
    expect(lines).toEqual([
      expect.objectContaining({ event: "rtmpt_open", outcome: "ok", origin, status: 200 }),
      { event: "rtmpt_close", outcome: "ok", origin, status: 200 },
      expect.objectContaining({ event: "rtmpt_open", outcome: "failed", status: 502 }),
    ]);
    expect(JSON.stringify(lines)).not.toContain("BODY-MARKER");
  });
});

describe("/healthz in proxy mode", () => {
  it("reports the mode and which origins answer", async () => {
    handlers[B] = () => "refuse";
    const res = await app.request("https://porthole.example/healthz", {}, vars());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rtmpt: { mode: string; up: number; probe: unknown[] } };
    expect(body.rtmpt.mode).toBe("proxy");
    expect(body.rtmpt.probe).toEqual([
      { origin: A, up: true, status: 404 },
      { origin: B, up: false, error: "unreachable" },
    ]);
    expect(body.rtmpt.up).toBe(1);
    expect(JSON.stringify(body)).not.toContain("worker-test-secret");
  });
});

describe("/healthz in gateway mode", () => {
  it("probes rtmp:// origins with a TCP connect", async () => {
    const res = await app.request("https://porthole.example/healthz", {}, vars({ RTMPT_ORIGINS: "rtmp://127.0.0.1:1" }));
    const body = (await res.json()) as { rtmpt: { mode: string; probe: unknown[]; up: number } };
    expect(body.rtmpt.mode).toBe("gateway");
    expect(body.rtmpt.probe).toEqual([{ origin: "rtmp://127.0.0.1:1", up: false, error: "unreachable" }]);
    expect(body.rtmpt.up).toBe(0);
  });
});
