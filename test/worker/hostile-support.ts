/**
 * Shared by the hostile-input and fuzz suites (test/worker/hostile*.test.ts, fuzz*.test.ts): fake RTMPT
 * origins behind a `fetch` spy that records every outbound request (so a test can prove that only the
 * configured origins were contacted), and the invariants every answer to hostile input must keep:
 * a clear status, a short plain body, no stack, no internal URL or origin address, never a 500.
 * `useHostileUpstreams()` is the per-test fixture of the hostile-*.test.ts files.
 */
import { env } from "cloudflare:test";
import { afterEach, beforeEach, expect, type MockInstance, vi } from "vitest";
import app from "../../worker/index";

export const ORIGIN_A = "http://origin-a.internal:1935";
export const ORIGIN_B = "http://origin-b.internal:5080";
export const SECRET = "hostile-test-secret";
/** Nothing listens on port 1: gateway mode's connect() is refused at once. */
export const DEAD_RTMP = "rtmp://127.0.0.1:1";
export const XMPP_UPSTREAM = "ws://xmpp-upstream.internal:5280/xmpp-websocket";

export type Mode = "off" | "proxy" | "gateway";

/** A well-formed XMPP WebSocket opening handshake (RFC 6455 §4.1 with RFC 7395's `xmpp` subprotocol). */
export const XMPP_HANDSHAKE: Record<string, string> = {
  upgrade: "websocket",
  connection: "Upgrade",
  "sec-websocket-version": "13",
  "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
  "sec-websocket-protocol": "xmpp",
};

export function vars(mode: Mode, overrides: Record<string, string> = {}) {
  const origins = mode === "proxy" ? `${ORIGIN_A},${ORIGIN_B}` : mode === "gateway" ? DEAD_RTMP : "";
  return {
    ...env,
    RTMPT_ORIGINS: origins,
    RTMPT_TAG_SECRET: SECRET,
    XMPP_WEBSOCKET_URL: XMPP_UPSTREAM,
    RTMPT_MAX_BODY: "4096",
    RTMPT_ORIGIN_TIMEOUT_MS: "200",
    ...overrides,
  };
}

/** Every outbound fetch the worker made, in order. */
export const outbound: Request[] = [];

/**
 * Installs the fake upstreams: Red5-shaped origins for A and B (`/open` → `<id>\n`, `/send|idle|close` of
 * their own ids → 0x01, others → 400, `/fcs` → 404), an XMPP upstream that accepts the upgrade, and a
 * refusal for anything else (which the invariants then flag, since `outbound` records it).
 */
export function installUpstreams(): void {
  outbound.length = 0;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    outbound.push(req);
    const url = new URL(req.url);
    if (req.body) await req.arrayBuffer();
    if (url.origin === ORIGIN_A || url.origin === ORIGIN_B) {
      const id = url.origin === ORIGIN_A ? "AAAA1" : "BBBB2";
      const [, kind, sid] = url.pathname.split("/");
      if (kind === "fcs") return new Response(null, { status: 404 });
      if (kind === "open") return new Response(`${id}\n`, { headers: { "content-type": "application/x-fcs" } });
      if (sid !== id) return new Response(null, { status: 400 });
      return new Response(new Uint8Array([1]), { headers: { "content-type": "application/x-fcs" } });
    }
    if (`${url.protocol}//${url.host}${url.pathname}` === XMPP_UPSTREAM.replace(/^ws:/, "http:")) {
      const pair = new WebSocketPair();
      pair[1].accept();
      return new Response(null, { status: 101, webSocket: pair[0], headers: { "sec-websocket-protocol": "xmpp" } });
    }
    throw new TypeError("Network connection lost.");
  });
}

/** Upstreams the worker may ever contact. */
export const ALLOWED_UPSTREAMS = new Set([ORIGIN_A, ORIGIN_B, new URL(XMPP_UPSTREAM.replace(/^ws:/, "http:")).origin]);

export function assertOnlyConfiguredUpstreams(label = ""): void {
  for (const req of outbound) {
    expect(ALLOWED_UPSTREAMS.has(new URL(req.url).origin), `${label} contacted ${req.url}`).toBe(true);
  }
}

/** Every request that reached an origin named an RTMPT path of the grammar, nothing traversed or re-encoded. */
export function assertForwardedPathsClean(label: string): void {
  assertOnlyConfiguredUpstreams(label);
  for (const req of outbound) {
    const url = new URL(req.url);
    if (url.port === "5280") continue;
    expect(url.pathname, label).toMatch(/^\/(fcs\/[A-Za-z0-9]+|open\/\d{1,3}|(send|idle|close)\/[A-Za-z0-9]+\/\d{1,10})$/);
    expect(req.url, label).not.toMatch(/[\r\n]/);
  }
}

/** Per-test fixture: fresh fake upstreams, console quiet, mocks restored; `warn()` is this test's console.warn spy. */
export function useHostileUpstreams(): { warn: () => MockInstance<typeof console.warn> } {
  let warn: MockInstance<typeof console.warn> | undefined;
  beforeEach(() => {
    installUpstreams();
    warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const level of ["info", "error"] as const) vi.spyOn(console, level).mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());
  return {
    warn: () => {
      if (!warn) throw new Error("useHostileUpstreams: warn() is for use inside a test");
      return warn;
    },
  };
}

/** An RTMPT POST (`application/x-fcs`), one zero byte unless told otherwise. */
export const post = (body: BodyInit | null = new Uint8Array([0]), headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  body,
  headers: { "content-type": "application/x-fcs", ...headers },
});

export function request(mode: Mode, path: string, init: RequestInit = {}, overrides: Record<string, string> = {}) {
  return app.request(`https://porthole.example${path}`, init, vars(mode, overrides));
}

/** Things an answer must never show a client. */
const LEAKS = [
  /\bat\s+\S+\s+\(?\S+:\d+:\d+/, // a stack frame
  /Error:|TypeError|RangeError|exception/i,
  /origin-[ab]\.internal|xmpp-upstream\.internal|127\.0\.0\.1|:1935|:5080|:5280/,
  /hostile-test-secret|porthole-dev-only-secret/,
  /https?:\/\/|wss?:\/\//,
];

export interface Expectation {
  /** Statuses accepted for this input (default: any 4xx). */
  statuses?: number[];
  /** The SPA page is an acceptable answer (unknown GET paths). */
  spa?: boolean;
  /** The request was a HEAD: there is no body to check. */
  head?: boolean;
}

/** Checks one answer: status as expected, never 5xx/101, short plain body without leaks. */
export async function assertClean(res: Response, label: string, want: Expectation = {}): Promise<string> {
  const body = res.status === 101 ? "" : await res.text();
  const type = res.headers.get("content-type") ?? "";
  if (want.spa && res.status === 200 && type.startsWith("text/html")) {
    expect(body, label).toContain('<div id="app">');
    return body;
  }
  const ok = want.statuses ? want.statuses.includes(res.status) : res.status >= 400 && res.status < 500;
  expect(ok, `${label}: status ${res.status} ${body.slice(0, 120)}`).toBe(true);
  if (res.status >= 400) {
    expect(type, `${label}: content-type`).toBe("text/plain; charset=utf-8");
    expect(body.length, `${label}: body length`).toBeLessThanOrEqual(200);
    if (!want.head) expect(body.endsWith("\n"), `${label}: body ends in a newline`).toBe(true);
    for (const leak of LEAKS) expect(body, `${label}: leak ${leak}`).not.toMatch(leak);
    res.headers.forEach((value, name) => {
      for (const leak of LEAKS.slice(2, 4)) expect(`${name}: ${value}`, `${label}: header leak`).not.toMatch(leak);
    });
  }
  return body;
}

/** A valid tagged session id for origin A or B, minted by opening a session through the worker. */
export async function openSession(mode: Mode = "proxy"): Promise<string> {
  const res = await request(mode, "/open/1", { method: "POST", body: new Uint8Array([0]) });
  expect(res.status).toBe(200);
  return (await res.text()).trim();
}
