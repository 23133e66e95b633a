/**
 * Proxy mode's RTMPT fast path (worker/routes/rtmpt-fast-path.ts) against the router it runs ahead of:
 * which requests it takes, and for each kind of request the same answer (status, headers, body) and the
 * same log records as the router alone (`routed`, index.ts) gives.
 */
import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { Env } from "../../worker/env";
import app, { routed } from "../../worker/index";
import { rtmptFastPath } from "../../worker/routes/rtmpt-fast-path";
import { logRecords } from "./log-records";
import { A, B, open, useFakeOrigins, vars } from "./rtmpt-proxy-support";

const BASE = "https://porthole.example";

function request(path: string, init: RequestInit = {}): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    body: new Uint8Array([0]),
    ...init,
    headers: { "content-type": "application/x-fcs", ...init.headers },
  });
}

type Fetch = (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;
const fast = app.fetch as Fetch;
const router = routed as Fetch;

/** Every header, lower-cased name → value (workerd's Headers are iterable; the DOM lib here does not say so). */
const headerRecord = (h: Headers) => Object.fromEntries(h as unknown as Iterable<[string, string]>);

/**
 * An answer and what was logged while it was made, through `fetch`. A new session's id and its log
 * record's origin and time depend on the round robin and the clock, not on the path taken: masked.
 */
async function answer(fetch: Fetch, req: Request, e: Env) {
  const spies = [vi.spyOn(console, "info"), vi.spyOn(console, "warn"), vi.spyOn(console, "error")];
  spies.forEach((s) => {
    s.mockImplementation(() => {});
  });
  try {
    const res = await fetch(req, e, createExecutionContext());
    const body = await res.text();
    const logs = logRecords(spies).map(({ ms, origin, ...rest }) => rest);
    return {
      status: res.status,
      headers: headerRecord(res.headers),
      body: body.replace(/^[0-9a-f]{13}[A-Z0-9]+\n$/, "<new session id>\n"),
      logs,
    };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

describe("RTMPT fast path (proxy mode)", () => {
  useFakeOrigins();

  it("takes proxy mode's RTMPT POSTs and leaves everything else to the router", () => {
    const proxy = vars() as Env;
    for (const path of ["/open/1", "/fcs/ident2", "/send/abc/1", "/idle/abc/1", "/close/abc", "/send//x", "/close/"]) {
      expect(rtmptFastPath(request(path), proxy), path).not.toBeNull();
    }
    for (const path of ["/send", "/open", "/opened/1", "/Open/1", "/%6Fpen/1", "/sendx/abc/1", "/healthz", "/"]) {
      expect(rtmptFastPath(request(path), proxy), path).toBeNull();
    }
    expect(rtmptFastPath(request("/send/abc/1", { method: "GET", body: null }), proxy), "GET").toBeNull();
    expect(rtmptFastPath(request("/send/abc/1", { method: "PUT" }), proxy), "PUT").toBeNull();
    expect(rtmptFastPath(request("/send/abc/1"), vars({ RTMPT_ORIGINS: "" }) as Env), "RTMPT off").toBeNull();
    expect(rtmptFastPath(request("/send/abc/1"), vars({ RTMPT_ORIGINS: "rtmp://127.0.0.1:1" }) as Env), "gateway").toBeNull();
    expect(rtmptFastPath(request("/send/abc/1"), vars({ RTMPT_MAX_BODY: "lots" }) as Env), "bad config").toBeNull();
  });

  it("answers and logs as the router does, request by request", async () => {
    const e = vars();
    const { id } = await open(e);
    const cases: [string, () => Request][] = [
      ["open", () => request("/open/1")],
      ["fcs", () => request("/fcs/ident2")],
      ["send", () => request(`/send/${id}/1`, { body: new Uint8Array([1, 2, 3]) })],
      ["idle", () => request(`/idle/${id}/2`)],
      ["close without seq", () => request(`/close/${id}`)],
      ["bad path", () => request("/send/abc")],
      ["bad fcs", () => request("/fcs/a/b")],
      ["forged tag", () => request(`/send/0000000000000${id.slice(13)}/1`)],
      ["bad session id", () => request("/send/a-b/1")],
      ["bad Content-Length", () => request(`/send/${id}/3`, { headers: { "content-length": "1e3" } })],
      ["too large", () => request(`/send/${id}/3`, { body: new Uint8Array(2048) })],
    ];
    const small = { ...e, RTMPT_MAX_BODY: "1024" } as Env;
    for (const [what, make] of cases) {
      const env = what === "too large" ? small : e;
      expect(await answer(fast, make(), env), what).toEqual(await answer(router, make(), env));
    }
  });

  it("an origin answer the worker relays is not logged as a rejection; its own refusals are", async () => {
    const e = vars();
    const refused = await answer(fast, request("/fcs/ident2"), e);
    expect(refused.status).toBe(404);
    expect(refused.logs.filter((r) => r.event === "rejected")).toEqual([]);
    const bad = await answer(fast, request("/send/abc"), e);
    expect(bad.status).toBe(400);
    expect(bad.logs.filter((r) => r.event === "rejected")).toEqual([
      {
        event: "rejected",
        status: 400,
        method: "POST",
        path: "/send/abc",
        reason: "Bad RTMPT path (expected /send/<session>/<seq>)",
      },
    ]);
  });

  it("an error under the handler is a plain 500 and an unhandled_error record, as through the router", async () => {
    const e = vars();
    const { id } = await open(e);
    // A session id not yet verified needs the HMAC: make Web Crypto fail under it.
    const fresh = `${id.slice(0, -1)}${id.endsWith("1") ? "2" : "1"}`;
    const results = [];
    for (const fetch of [fast, router]) {
      const sign = vi.spyOn(crypto.subtle, "sign").mockRejectedValue(new Error("crypto broke"));
      results.push(await answer(fetch, request(`/send/${fresh}/1`), e));
      sign.mockRestore();
    }
    const [first, viaRouter] = results;
    expect(first?.status).toBe(500);
    expect(first?.body).toBe("Internal error\n");
    expect(first?.logs).toEqual([{ event: "unhandled_error", path: `/send/${fresh}/1`, message: "Error: crypto broke" }]);
    expect(first).toEqual(viaRouter);
  });

  it("the origin sees the same request either way", async () => {
    const e = vars();
    const { id } = await open(e);
    const seenBy = async (fetch: Fetch) => {
      const spy = vi.mocked(globalThis.fetch);
      spy.mockClear();
      await answer(fetch, request(`/send/${id}/1`, { headers: { "cf-connecting-ip": "203.0.113.7", cookie: "a=b" } }), e);
      const [input, init] = spy.mock.calls[0] ?? [];
      const sent = new Request(input as RequestInfo, init);
      return { url: sent.url, method: sent.method, headers: headerRecord(sent.headers) };
    };
    const first = await seenBy(fast);
    expect(first.url.startsWith(A) || first.url.startsWith(B)).toBe(true);
    expect(first.headers.cookie).toBeUndefined();
    expect(first).toEqual(await seenBy(router));
  });
});

it("default config: the fast path leaves RTMPT to the router (off)", () => {
  expect(rtmptFastPath(request("/open/1"), env as Env)).toBeNull();
});
