// worker/shared/connect-first.ts: the first origin that accepts within the bound is kept; one that
// refuses or does not answer in time is named in `failures` and its socket closed. `connect()` of
// cloudflare:sockets is replaced by a stand-in (connectFirst's `open`) whose `opened` settles as each case needs (a TCP
// connect that hangs cannot be made on loopback; the real sockets are in the rtmpt and push e2e tests).
import type { connect } from "cloudflare:sockets";
import { afterEach, describe, expect, it } from "vitest";
import { connectFirst } from "../../worker/shared/connect-first";

type Opened = "open" | "refuse" | "hang";
const plan = new Map<string, Opened>();
const made: { address: string; options: SocketOptions | undefined; closed: boolean }[] = [];

/** cloudflare:sockets' connect(), whose sockets open, refuse or never answer as `plan` says. */
const open = ((address: { hostname: string; port: number }, options?: SocketOptions) => {
  const key = `${address.hostname}:${address.port}`;
  const record = { address: key, options, closed: false };
  made.push(record);
  const how = plan.get(key) ?? "refuse";
  const opened =
    how === "open"
      ? Promise.resolve({})
      : how === "refuse"
        ? Promise.reject(new Error("connection refused"))
        : new Promise<never>(() => {});
  opened.catch(() => {});
  return {
    opened,
    readable: new ReadableStream(),
    writable: new WritableStream(),
    close: async () => {
      record.closed = true;
    },
  };
}) as unknown as typeof connect;

afterEach(() => {
  plan.clear();
  made.length = 0;
});

describe("connectFirst", () => {
  it("skips an origin that does not answer within the bound, closes it, and keeps the next that accepts", async () => {
    plan.set("a.test:1935", "hang");
    plan.set("b.test:1935", "open");
    const started = Date.now();
    const got = await connectFirst(
      [
        { host: "a.test", port: 1935 },
        { host: "b.test", port: 1935 },
      ],
      40,
      open,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(got.socket).not.toBeNull();
    expect(got).toMatchObject({ origin: "b.test:1935", failures: ["a.test:1935: no answer within 40 ms"] });
    expect(made.map((m) => [m.address, m.closed])).toEqual([
      ["a.test:1935", true],
      ["b.test:1935", false],
    ]);
  });

  it("names each refusal, and gives no socket when none accepts", async () => {
    plan.set("a.test:1", "refuse");
    plan.set("b.test:2", "hang");
    const got = await connectFirst(
      [
        { host: "a.test", port: 1 },
        { host: "b.test", port: 2 },
      ],
      20,
      open,
    );
    expect(got).toEqual({ socket: null, failures: ["a.test:1: connection refused", "b.test:2: no answer within 20 ms"] });
    expect(made.every((m) => m.closed)).toBe(true);
  });

  it("plain TCP by default, TLS from the first byte when the origin asks; never half-open", async () => {
    plan.set("a.test:1935", "open");
    plan.set("xmpp.test:5223", "open");
    await connectFirst([{ host: "a.test", port: 1935 }], 20, open);
    await connectFirst([{ host: "xmpp.test", port: 5223, tls: true }], 20, open);
    expect(made.map((m) => m.options)).toEqual([
      { secureTransport: "off", allowHalfOpen: false },
      { secureTransport: "on", allowHalfOpen: false },
    ]);
  });
});
