/**
 * Push notifications: from bob's message to the push service accepting the encrypted Web Push
 * (Prosody 0.12 + mod_cloud_notify publishes to the worker's XEP-0114 component under wrangler dev,
 * which encrypts (RFC 8291), signs (RFC 8292) and POSTs to the stand-in push service on 127.0.0.1),
 * for a device that is closed; vs the same message delivered by the same Prosody to a user who is
 * online (the floor: what the server itself takes). The two take turns message by message; p50/p99.
 */
import { type Element, xml } from "@xmpp/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { enableOnServer, registerDevice, vapidKeys } from "../e2e/push-support";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { type PushService, startPushService } from "../support/push-service";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { connectUser, type XmppUser } from "../support/xmpp-user";
import { type BenchRow, percentile, report } from "./support";

const MESSAGES = 200;
const COMPONENT = "push.localhost";

let prosody: ProsodyServer;
let worker: WorkerServer;
let push: PushService;
let bob: XmppUser;
let carol: XmppUser;
const arrived = new Map<string, () => void>();

beforeAll(async () => {
  const vapid = vapidKeys();
  push = await startPushService({ vapidPublicKey: vapid.publicKey });
  prosody = await startProsody({
    users: { alice: "alice-pw", bob: "bob-pw", carol: "carol-pw" },
    modules: ["cloud_notify"],
    extraConfig: "push_notification_with_sender = true",
    components: { [COMPONENT]: "component-secret" },
  });
  worker = await startWorker({
    XMPP_WEBSOCKET_URL: prosody.wsUrl,
    PUSH_COMPONENT_JID: COMPONENT,
    PUSH_COMPONENT_ADDRESS: `tcp://127.0.0.1:${prosody.componentPort}`,
    PUSH_COMPONENT_SECRET: "component-secret",
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    PUSH_SERVICES: push.origin,
  });
  const login = (username: string) =>
    connectUser({ service: prosody.wsUrl, domain: prosody.domain, username, password: `${username}-pw`, resource: "bench" });
  const { reg } = await registerDevice(worker.url, push);
  const alice = await login("alice");
  await enableOnServer(alice, reg);
  await alice.stop();
  bob = await login("bob");
  carol = await login("carol");
  carol.client.on("stanza", (st: Element) => {
    if (st.is("message")) arrived.get(String(st.attrs.id ?? ""))?.();
  });
}, 180_000);

afterAll(async () => {
  await carol?.stop();
  await bob?.stop();
  await worker?.stop();
  await prosody?.stop();
  await push?.stop();
});

/**
 * Waits until `done()` holds, checking every millisecond or two: the push service runs in this process,
 * and a 100 ms poll (waitFor's) would add up to 20 s of waiting over the run, not to the figures (the
 * push service stamps each push itself).
 */
async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

async function toPush(n: number): Promise<number> {
  const before = push.pushes.length;
  const t0 = Date.now(); // the push service stamps each push with Date.now() as it accepts it
  await bob.client.send(xml("message", { to: "alice@localhost", type: "chat", id: `p${n}` }, xml("body", {}, `push ${n}`)));
  await until(`push ${n}`, () => push.pushes.length > before, 10_000);
  return (push.pushes[before]?.at ?? Number.NaN) - t0;
}

async function toOnline(n: number): Promise<number> {
  const id = `o${n}`;
  let at = 0;
  const got = new Promise<void>((resolve) =>
    arrived.set(id, () => {
      at = Date.now();
      resolve();
    }),
  );
  const t0 = Date.now();
  await bob.client.send(xml("message", { to: "carol@localhost", type: "chat", id }, xml("body", {}, `online ${n}`)));
  await got;
  arrived.delete(id);
  return at - t0;
}

it("message → push accepted by the push service, vs message → online recipient", async () => {
  for (let i = 0; i < 10; i++) {
    await toPush(-1 - i);
    await toOnline(-1 - i);
  }
  const pushMs: number[] = [];
  const onlineMs: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    if (i % 2 === 0) {
      pushMs.push(await toPush(i));
      onlineMs.push(await toOnline(i));
    } else {
      onlineMs.push(await toOnline(i));
      pushMs.push(await toPush(i));
    }
  }
  expect(push.refused).toEqual([]);
  const rows: BenchRow[] = [50, 99].map((pc) => ({
    metric: `message → push accepted p${pc}`,
    porthole: percentile(pushMs, pc),
    alternative: percentile(onlineMs, pc),
    unit: "ms",
    ratio: percentile(pushMs, pc) / percentile(onlineMs, pc),
    ...(pc === 50 ? { target: "<= 1000 ms", met: percentile(pushMs, pc) <= 1000 } : {}),
  }));
  report(
    "push-latency",
    `Push notification latency (${MESSAGES} messages)`,
    "same message to an online user (Prosody 0.12)",
    rows,
  );
});
