// A small seeded, bounded fuzzer over RTMPT paths, methods, headers and bodies, in workerd through
// the worker's fetch handler in proxy, gateway and off modes. Invariants: never a 5xx (except gateway
// /open's 502 for its dead origin), never a 101 off the XMPP path, the worker's own refusals are short plain
// 4xx without leaks, and no upstream other than the configured ones is ever contacted (fetch is recorded).
// FUZZ_SEED / FUZZ_RUNS change the seed and the number of requests per mode.
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { TAG_LENGTH } from "../../worker/rtmpt/proxy/session-tags";
import {
  assertClean,
  assertOnlyConfiguredUpstreams,
  installUpstreams,
  type Mode,
  openSession,
  outbound,
  request,
} from "./hostile-support";

const SEED = Number(process.env.FUZZ_SEED ?? 0x9e3779b9);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

/** mulberry32: a tiny deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const chars = (r: Rand, alphabet: string, n: number) => Array.from({ length: n }, () => pick(r, [...alphabet])).join("");

const PREFIXES = ["fcs", "open", "send", "idle", "close", "OPEN", "opened", "send.php", "", "xmpp-websocket", "healthz"];
const NASTY = ["..", "%2e%2e", "%2f", "%252e", "%00", "%0d%0a", "%5c", ";x", "@evil", ":80", "%EF%BC%91", "~", "*", "%ff"];

function segment(r: Rand, ids: string[]): string {
  switch (Math.floor(r() * 8)) {
    case 0:
      return pick(r, ids);
    case 1: {
      const id = pick(r, ids); // a real id with one character changed (forged)
      const at = Math.floor(r() * id.length);
      return id.slice(0, at) + chars(r, "0123456789abcdefXYZ", 1) + id.slice(at + 1);
    }
    case 2:
      return String(Math.floor(r() * 1000));
    case 3:
      return chars(r, "0123456789", 1 + Math.floor(r() * 14));
    case 4:
      return chars(r, "ABCDEFabcdef0123456789", 1 + Math.floor(r() * 80));
    case 5:
      return pick(r, NASTY) + (r() < 0.5 ? chars(r, "abc01", 2) : "");
    case 6:
      return pick(r, ["-1", "1e3", "0x10", "NaN", "+1", "1.5", "", "ident2", "1"]);
    default:
      return chars(r, "Aa0%._-~!$&'()*+,=", 1 + Math.floor(r() * 10));
  }
}

/** Mostly grammar-shaped RTMPT paths with one part mutated at times, else free-form segments. */
function path(r: Rand, ids: string[]): string {
  const parts = [pick(r, r() < 0.7 ? PREFIXES.slice(0, 5) : PREFIXES)];
  if (r() < 0.6) {
    const first = parts[0] ?? "";
    if (first === "open") parts.push(r() < 0.8 ? "1" : segment(r, ids));
    else if (first === "fcs") parts.push(r() < 0.8 ? "ident2" : segment(r, ids));
    else parts.push(r() < 0.6 ? pick(r, ids) : segment(r, ids), r() < 0.7 ? String(Math.floor(r() * 100)) : segment(r, ids));
  } else {
    const n = Math.floor(r() * 4);
    for (let i = 0; i < n; i++) parts.push(segment(r, ids));
  }
  const query =
    r() < 0.3
      ? `?${pick(r, ["url=http://169.254.169.254/", "host=evil.example&port=22", "@evil.example", "a=%0d%0aX-Injected:1", "x=1"])}`
      : "";
  return `/${parts.join("/")}${query}`;
}

function headers(r: Rand): Record<string, string> {
  const h: Record<string, string> = {};
  if (r() < 0.7) h["content-type"] = pick(r, ["application/x-fcs", "text/html", "multipart/form-data; boundary=x", "x/y"]);
  if (r() < 0.2) h.host = pick(r, ["evil.example", "127.0.0.1:22", "origin-a.internal:1935"]);
  if (r() < 0.2) h["x-forwarded-host"] = "evil.example";
  if (r() < 0.2) h.forwarded = 'for=10.0.0.1;host="169.254.169.254"';
  if (r() < 0.2) h["x-forwarded-for"] = "10.0.0.1, 127.0.0.1";
  if (r() < 0.15) Object.assign(h, { upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13" });
  if (r() < 0.1) h["sec-websocket-protocol"] = pick(r, ["xmpp", "chat", "x".repeat(300)]);
  if (r() < 0.1) h["x-original-url"] = "/admin";
  if (r() < 0.1) h["content-length"] = pick(r, ["-1", "abc", "99999999999999999999", "1e6", "0"]);
  return h;
}

function body(r: Rand): BodyInit | null {
  switch (Math.floor(r() * 5)) {
    case 0:
      return null;
    case 1:
      return new Uint8Array([0]);
    case 2:
      return Uint8Array.from({ length: Math.floor(r() * 2000) }, () => Math.floor(r() * 256));
    case 3:
      return new Uint8Array(4097 + Math.floor(r() * 4000)); // over RTMPT_MAX_BODY (4096)
    default: {
      const chunks = 1 + Math.floor(r() * 6);
      return new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < chunks; i++) c.enqueue(new Uint8Array(1000));
          c.close();
        },
      });
    }
  }
}

let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  installUpstreams();
  for (const level of ["warn", "info"] as const) vi.spyOn(console, level).mockImplementation(() => {});
  errors = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe(`fuzz (seed ${SEED}, ${RUNS} requests per mode)`, () => {
  for (const [offset, mode] of (["proxy", "gateway", "off"] as Mode[]).entries()) {
    it(`${mode} mode`, async () => {
      const r = rng(SEED + offset);
      const ids = mode === "proxy" ? [await openSession(), await openSession()] : ["0".repeat(32), `0${"a".repeat(12)}AAAA1`];
      if (mode === "proxy") expect(ids[0]?.length).toBeGreaterThan(TAG_LENGTH);
      const statuses = new Map<number, number>();
      let gatewayOpens = 0;
      for (let i = 0; i < RUNS; i++) {
        const p = path(r, ids);
        const method = r() < 0.75 ? "POST" : pick(r, ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"]);
        const h = headers(r);
        const b = method === "GET" || method === "HEAD" ? null : body(r);
        // Bounded: each gateway /open tries a TCP connect; a handful is enough.
        if (mode === "gateway" && /^\/open\/\d{1,3}(\?|$)/.test(p) && method === "POST" && ++gatewayOpens > 5) continue;
        const label = `seed ${SEED} #${i} ${mode} ${method} ${p.slice(0, 100)} ${JSON.stringify(h).slice(0, 120)}`;
        let res: Response;
        try {
          res = await request(mode, p, { method, headers: h, body: b, duplex: "half" } as RequestInit);
        } catch (err) {
          // The runtime refusing to build the request (e.g. a Content-Length it rejects) is not the worker's answer.
          expect(String(err), label).toMatch(/TypeError|content-length|Content-Length/i);
          continue;
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const before = outbound.length;
        const xmppPath = p.startsWith("/xmpp-websocket");
        if (res.status === 101) {
          expect(xmppPath, label).toBe(true);
          res.webSocket?.accept();
          res.webSocket?.close();
          continue;
        }
        const gatewayOpen = mode === "gateway" && res.status === 502;
        if (gatewayOpen) {
          expect(await res.text(), label).toBe("RTMP origin unavailable\n");
          continue;
        }
        // /healthz in gateway mode reports the dead rtmp:// origin with 503, its intended answer.
        const healthDown = mode === "gateway" && res.status === 503 && new URL(`https://x${p}`).pathname === "/healthz";
        if (healthDown) {
          expect(((await res.json()) as { ok: boolean }).ok, label).toBe(false);
          continue;
        }
        if (res.status >= 500) {
          const logged = errors.mock.calls.map((c) => JSON.stringify(c[0])).join(" | ");
          expect.fail(`${label}: ${res.status} ${(await res.text()).slice(0, 120)} ${logged.slice(-400)}`);
        }
        const pathname = new URL(`https://porthole.example${p}`).pathname;
        const rtmpt = /^\/(fcs|open|send|idle|close)(\/|$)/.test(pathname);
        // Origins' own answers (proxy mode) and the app's pages are not the worker's refusals.
        const relayed =
          mode === "proxy" && rtmpt && method === "POST" && res.headers.get("content-type") !== "text/plain; charset=utf-8";
        if (res.status >= 400 && !relayed && rtmpt) await assertClean(res, label, { head: method === "HEAD" });
        else await res.body?.cancel();
        expect(outbound.length, label).toBeGreaterThanOrEqual(before);
        assertOnlyConfiguredUpstreams(label);
      }
      for (const req of outbound) {
        const url = new URL(req.url);
        if (url.port === "5280") continue;
        expect(url.pathname).toMatch(
          /^\/(fcs\/[A-Za-z0-9]+|open\/\d{1,3}|(send|idle|close)\/[A-Za-z0-9]+\/\d{1,10}|close\/[A-Za-z0-9]+)$/,
        );
      }
      console.log(
        `fuzz ${mode}: ${RUNS} tried, statuses ${JSON.stringify(Object.fromEntries(statuses))}, upstream requests ${outbound.length}`,
      );
      expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    }, 120_000);
  }
});
