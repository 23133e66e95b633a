/**
 * Benchmark 5, messaging: round trip of a chat message alice → bob → alice (RFC 6121 §5 one-to-one
 * messages over XMPP-over-WebSocket, RFC 7395) with both Node @xmpp/client users connected through
 * Porthole's worker (its built bundle in workerd, production-like) vs the same users connected straight
 * to the same Prosody. `wrangler dev` is reported separately (its dev proxy adds its own cost). The
 * paths take turns message by message, so machine noise hits them alike; p50/p99 over 500 messages each.
 */
import { type Element, xml } from "@xmpp/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import type { WorkerServer } from "../support/wrangler-dev";
import { startWorkerSnapshot } from "../support/wrangler-snapshot";
import { connectUser, type XmppUser } from "../support/xmpp-user";
import { type BenchRow, percentile, report } from "./support";

const MESSAGES = 500;
const REPLY_TIMEOUT_MS = 20_000;

type Path = "direct" | "worker" | "wranglerDev";
/** BENCH_SKIP_DEV=1 leaves out wrangler dev. */
const PATHS: Path[] = process.env.BENCH_SKIP_DEV ? ["direct", "worker"] : ["direct", "worker", "wranglerDev"];

let prosody: ProsodyServer;
let workerd: WorkerdServer;
let dev: WorkerServer | undefined;
const pairs = new Map<Path, { alice: XmppUser; bob: XmppUser; pending: Map<string, () => void> }>();

/** Bob echoes every chat body back to its sender; alice resolves the waiter of the echoed id. */
async function connectPair(path: Path, service: string) {
  const login = (username: string) =>
    connectUser({ service, domain: prosody.domain, username, password: `${username}-pw`, resource: `bench-${path}` });
  const alice = await login("alice");
  const bob = await login("bob");
  const pending = new Map<string, () => void>();
  bob.client.on("stanza", (st: Element) => {
    if (!st.is("message") || st.getChildText("body") === null) return;
    bob.client
      .send(
        xml(
          "message",
          { to: st.attrs.from, type: "chat", id: `r-${st.attrs.id}` },
          xml("body", {}, st.getChildText("body") ?? ""),
        ),
      )
      .catch(() => {});
  });
  alice.client.on("stanza", (st: Element) => {
    if (!st.is("message")) return;
    const id = String(st.attrs.id ?? "");
    if (id.startsWith("r-")) pending.get(id.slice(2))?.();
  });
  pairs.set(path, { alice, bob, pending });
}

/** One round trip: alice → bob (echo) → alice, in ms. */
async function roundTrip(path: Path, n: number): Promise<number> {
  const pair = pairs.get(path);
  if (!pair) throw new Error(`no clients for ${path}`);
  const id = `${path}-${n}`;
  const back = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path}: no echo of ${id} in ${REPLY_TIMEOUT_MS} ms`)), REPLY_TIMEOUT_MS);
    pair.pending.set(id, () => {
      clearTimeout(timer);
      pair.pending.delete(id);
      resolve();
    });
  });
  const t0 = performance.now();
  await pair.alice.client.send(xml("message", { to: pair.bob.jid, type: "chat", id }, xml("body", {}, `ping ${n}`)));
  await back;
  return performance.now() - t0;
}

beforeAll(async () => {
  prosody = await startProsody({ users: { alice: "alice-pw", bob: "bob-pw" } });
  workerd = await startWorkerd(bundleWorker(), { XMPP_WEBSOCKET_URL: prosody.wsUrl, RTMPT_ORIGINS: "" });
  // A snapshot: a wrangler dev reload (edits elsewhere in the tree) would drop the WebSockets.
  if (PATHS.includes("wranglerDev")) dev = await startWorkerSnapshot({ XMPP_WEBSOCKET_URL: prosody.wsUrl });
  const services: Record<Path, string> = {
    direct: prosody.wsUrl,
    worker: `${workerd.url.replace(/^http/, "ws")}/xmpp-websocket`,
    wranglerDev: `${dev?.url.replace(/^http/, "ws")}/xmpp-websocket`,
  };
  for (const p of PATHS) await connectPair(p, services[p]);
}, 180_000);

afterAll(async () => {
  for (const { alice, bob } of pairs.values()) {
    await alice.stop();
    await bob.stop();
  }
  await dev?.stop();
  await workerd?.stop();
  await prosody?.stop();
});

it("XMPP message round trip: through the worker vs straight to Prosody", async () => {
  // Warm-up: JIT, Prosody's storage of the first messages, the worker's WebSocket splice.
  for (const p of PATHS) for (let i = 0; i < 20; i++) await roundTrip(p, -1 - i);
  const rtt = Object.fromEntries(PATHS.map((p) => [p, [] as number[]])) as Record<Path, number[]>;
  // Message by message, the paths take turns (starting path rotating), so a burst of load elsewhere on
  // the machine lands on all of them alike.
  for (let i = 0; i < MESSAGES; i++) {
    for (let k = 0; k < PATHS.length; k++) {
      const p = PATHS[(i + k) % PATHS.length] as Path;
      rtt[p].push(await roundTrip(p, i));
    }
  }
  for (const p of PATHS) expect(rtt[p].length).toBe(MESSAGES);
  // Still the same sessions at the end: a reconnect in between would have hidden a failure.
  for (const p of PATHS) expect(pairs.get(p)?.alice.status()).toBe("online");

  const q = (p: Path, pc: number) => percentile(rtt[p], pc);
  const rows: BenchRow[] = [];
  for (const pc of [50, 99]) {
    const added = q("worker", pc) - q("direct", pc);
    rows.push({
      metric: `round trip p${pc} (alice→bob→alice)`,
      porthole: q("worker", pc),
      alternative: q("direct", pc),
      unit: "ms",
      ratio: q("worker", pc) / q("direct", pc),
    });
    rows.push({
      metric: `worker added p${pc} per round trip (4 passes through it)`,
      porthole: added,
      unit: "ms",
      ...(pc === 50 ? { target: "<= 1 ms", met: added <= 1 } : {}),
    });
  }
  if (PATHS.includes("wranglerDev")) {
    rows.push({
      metric: "wrangler dev round trip p50",
      porthole: q("wranglerDev", 50),
      alternative: q("direct", 50),
      unit: "ms",
    });
  }
  report("xmpp-rtt", "XMPP message round trip (500 messages per path)", "same clients straight to Prosody 0.12", rows, {
    perPath: Object.fromEntries(PATHS.map((p) => [p, { n: rtt[p].length, p50: q(p, 50), p99: q(p, 99) }])),
  });
});
