// Per-client limit on new sessions (worker/http/rate-limit.ts) with the real `[[ratelimits]]` binding of
// wrangler.toml (100 per 60 s) as Miniflare runs it in workerd; origins and the XMPP upstream are the fakes
// of hostile-support.ts. The e2e proof through wrangler dev with a real origin is test/e2e/rate-limit.test.ts.
import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clientKey, limitNewSession } from "../../worker/http/rate-limit";
import app from "../../worker/index";
import { installUpstreams, outbound, vars, XMPP_HANDSHAKE } from "./hostile-support";
import { logRecords } from "./log-records";

const LIMIT = 100;

/** A fresh documentation-range address per test, so buckets never carry over between tests. */
let nextHost = Math.floor(Math.random() * 200);
const freshIp = () => `198.51.100.${(nextHost++ % 250) + 1}`;

function open(ip: string, e = vars("proxy")) {
  return app.request(
    "https://porthole.example/open/1",
    { method: "POST", body: new Uint8Array([0]), headers: { "content-type": "application/x-fcs", "cf-connecting-ip": ip } },
    e,
  );
}

function upgrade(ip: string) {
  return app.request(
    "https://porthole.example/xmpp-websocket",
    {
      headers: { ...XMPP_HANDSHAKE, "cf-connecting-ip": ip },
    },
    vars("proxy"),
  );
}

/**
 * The limiter's windows are aligned to the wall clock (a new one every minute): a run of 100 that straddles
 * a boundary would start counting again, so each counting test starts early in a window.
 */
async function freshWindow(): Promise<void> {
  const into = Date.now() % 60_000;
  if (into > 45_000) await new Promise((r) => setTimeout(r, 60_000 - into + 250));
}

async function statuses(n: number, make: () => Response | Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await make();
    await res.body?.cancel();
    out.push(res.status);
  }
  return out;
}

describe("clientKey", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    [" 203.0.113.9 ", "203.0.113.9"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::7", "2001:db8:1:2::/64"],
    ["2001:DB8:0001:0002:ffff::1", "2001:db8:1:2::/64"],
    ["2001:db8::", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["", "unknown"],
    [null, "unknown"],
    ["not an address", "unknown"],
    ["203.0.113.9\r\nx: y", "unknown"],
  ])("%j → %s", (input, key) => {
    expect(clientKey(input)).toBe(key);
  });
});

// A counting test may first wait up to 15 s for a fresh window (see freshWindow).
describe("new sessions per client address", { timeout: 60_000 }, () => {
  beforeEach(() => installUpstreams());
  afterEach(() => vi.restoreAllMocks());

  it("the binding from wrangler.toml is there", () => {
    expect(env.SESSION_LIMITER).toBeDefined();
  });

  it(`allows ${LIMIT} RTMPT opens per minute from one address, then answers 429 without contacting an origin`, async () => {
    const ip = freshIp();
    await freshWindow();
    const first = await statuses(LIMIT, () => open(ip));
    expect(first.filter((s) => s === 200)).toHaveLength(LIMIT);
    const before = outbound.length;
    const res = await open(ip);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("Too many new RTMPT sessions from your address; try again in a minute\n");
    expect(outbound.length).toBe(before);
    // Another address is not affected; requests inside a session are never counted.
    expect((await open(freshIp())).status).toBe(200);
    const send = await app.request(
      "https://porthole.example/send/0AAAA1/1",
      { method: "POST", body: new Uint8Array([0]), headers: { "cf-connecting-ip": ip } },
      vars("proxy"),
    );
    expect(send.status).not.toBe(429);
  });

  it("an IPv6 client is one /64: other hosts of that /64 share its budget", async () => {
    await freshWindow();
    const prefix = `2001:db8:${(nextHost++).toString(16)}:1`;
    const first = await statuses(LIMIT, () => open(`${prefix}::${Math.floor(Math.random() * 0xffff).toString(16)}`));
    expect(first.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect((await open(`${prefix}:0:0:0:abcd`)).status).toBe(429);
    expect((await open(`2001:db8:${(nextHost++).toString(16)}:1::1`)).status).toBe(200);
  });

  it("XMPP WebSocket connections have their own budget, with the same limit", async () => {
    const ip = freshIp();
    await freshWindow();
    const ok = await statuses(LIMIT, () => upgrade(ip));
    expect(ok.filter((s) => s === 101)).toHaveLength(LIMIT);
    const res = await upgrade(ip);
    expect(res.status).toBe(429);
    expect(await res.text()).toBe("Too many new XMPP connections from your address; try again in a minute\n");
    expect((await open(ip)).status).toBe(200);
  });

  it("each refusal is logged as one rejection line", async () => {
    const ip = freshIp();
    await freshWindow();
    await statuses(LIMIT, () => open(ip));
    const warn = vi.spyOn(console, "warn");
    await open(ip);
    const lines = logRecords(warn, "rejected").filter((l) => l.status === 429);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: "rejected", path: "/open/1" });
  });

  it("without the binding there is no limit", async () => {
    const { SESSION_LIMITER: _, ...unlimited } = vars("proxy");
    const ip = freshIp();
    const all = await statuses(LIMIT + 20, () => open(ip, unlimited as ReturnType<typeof vars>));
    expect(all.every((s) => s === 200)).toBe(true);
  });

  it("a failing limiter lets requests through and is logged once", async () => {
    const broken = { limit: () => Promise.reject(new Error("limiter down")) } as unknown as RateLimit;
    const error = vi.spyOn(console, "error");
    const req = new Request("https://porthole.example/open/1", { headers: { "cf-connecting-ip": freshIp() } });
    expect(await limitNewSession(broken, "rtmpt-open", req)).toBeNull();
    expect(await limitNewSession(broken, "rtmpt-open", req)).toBeNull();
    const lines = logRecords(error, "rate_limiter_error");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toBe("Error: limiter down");
  });
});
