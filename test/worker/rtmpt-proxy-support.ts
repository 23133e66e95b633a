/**
 * Fake RTMPT origins for the proxy-mode suites (rtmpt-proxy-*.test.ts), standing in for `fetch` in workerd:
 * two Red5-like origins A and B whose behaviour a test may replace per origin (`handlers`, `setHandlers`),
 * every outbound request recorded with its body (`seen`), and the worker's public surface with proxy-mode
 * vars (`post`, `open`). The real origin chain is test/e2e/rtmpt-proxy.test.ts.
 */
import { env } from "cloudflare:test";
import { afterEach, beforeEach, expect, vi } from "vitest";
import app from "../../worker/index";

export interface Seen {
  url: string;
  headers: Headers;
  body: Uint8Array;
}
/** One origin's answer: a response, or "refuse" (connection refused) / "hang" (until the worker aborts). */
export type Handler = (req: Request, seen: Seen) => Response | Promise<Response> | "refuse" | "hang";

export const A = "http://origin-a.test:1935";
export const B = "http://origin-b.test:5080";
/** Origin (scheme://host:port) → its behaviour; an origin without one refuses. Tests may replace entries. */
export const handlers: Record<string, Handler> = {};
/** Every request the worker sent to an origin, in order (`seen.length = 0` forgets them). */
export const seen: Seen[] = [];

/** Replaces every origin's behaviour at once (`setHandlers({})`: all origins down). */
export function setHandlers(next: Record<string, Handler>): void {
  for (const origin of Object.keys(handlers)) Reflect.deleteProperty(handlers, origin);
  Object.assign(handlers, next);
}

/** An origin's 200 answer with RTMPT's `application/x-fcs` type. */
export function fcs(body: BodyInit | null, init: ResponseInit = {}): Response {
  return new Response(body, { status: 200, ...init, headers: { "content-type": "application/x-fcs", ...init.headers } });
}

/** A Red5-like origin: `/open` → `<id>\n`, `/send` echoes its body, `/idle` → 0x01, `/close` → 0x00. */
export function red5(id: string): Handler {
  return (req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/fcs/")) return new Response(null, { status: 404 });
    if (path.startsWith("/open/")) return fcs(`${id}\n`);
    if (!path.includes(`/${id}/`)) return new Response(null, { status: 400 });
    if (path.startsWith("/send/")) return req.arrayBuffer().then((b) => fcs(b));
    return fcs(new Uint8Array([path.startsWith("/idle/") ? 1 : 0]));
  };
}

/** Proxy-mode vars: origins A and B, a test tag secret. */
export function vars(overrides: Record<string, string> = {}) {
  return { ...env, RTMPT_ORIGINS: `${A},${B}`, RTMPT_TAG_SECRET: "worker-test-secret", ...overrides };
}

/** An RTMPT POST to the worker (one zero byte unless told otherwise). */
export function post(
  path: string,
  body: BodyInit | null = new Uint8Array([0]),
  headers: Record<string, string> = {},
  e = vars(),
) {
  return app.request(
    `https://porthole.example${path}`,
    { method: "POST", body, headers: { "content-type": "application/x-fcs", ...headers } },
    e,
  );
}

/** Opens a session through the worker: its tagged id and the index of the origin that serves it. */
export async function open(e = vars()): Promise<{ id: string; origin: number }> {
  const res = await post("/open/1", new Uint8Array([0]), {}, e);
  expect(res.status).toBe(200);
  const id = (await res.text()).replace(/\n$/, "");
  return { id, origin: Number.parseInt(id.charAt(0), 16) };
}

/** Per-test fixture: A and B are fresh Red5-like origins, nothing seen yet; mocks restored after. */
export function useFakeOrigins(): void {
  beforeEach(() => {
    seen.length = 0;
    setHandlers({ [A]: red5("AAAASESSION1"), [B]: red5("BBBBSESSION2") });
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
}
