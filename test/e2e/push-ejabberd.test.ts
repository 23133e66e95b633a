// Push notifications end to end with Debian's ejabberd 23.01 and mod_push (XEP-0357): the worker
// under wrangler dev is the push component, reached through an ejabberd_service listener (XEP-0114),
// and sends Web Push to the push service stand-in (test/support/push-service.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EjabberdServer, startEjabberd } from "../support/ejabberd";
import { type PushService, startPushService } from "../support/push-service";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { connectUser, type XmppUser } from "../support/xmpp-user";
import { enableOnServer, registerDevice, vapidKeys } from "./push-support";

const COMPONENT = "push.localhost";

describe("push notifications with ejabberd's mod_push", () => {
  let xmpp: EjabberdServer;
  let worker: WorkerServer;
  let push: PushService;
  const users: XmppUser[] = [];
  const login = async (username: string) => {
    const u = await connectUser({ service: xmpp.wsUrl, domain: "localhost", username, password: `${username}-pw` });
    users.push(u);
    return u;
  };

  beforeAll(async () => {
    const vapid = vapidKeys();
    push = await startPushService({ vapidPublicKey: vapid.publicKey });
    xmpp = await startEjabberd({
      users: { alice: "alice-pw", bob: "bob-pw" },
      modules: ["mod_offline: {}", "mod_push: {include_sender: true, include_body: false}"],
      components: { [COMPONENT]: "component-secret" },
    });
    worker = await startWorker({
      XMPP_WEBSOCKET_URL: xmpp.wsUrl,
      PUSH_COMPONENT_JID: COMPONENT,
      PUSH_COMPONENT_ADDRESS: `tcp://127.0.0.1:${xmpp.componentPort}`,
      PUSH_COMPONENT_SECRET: "component-secret",
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      PUSH_SERVICES: push.origin,
    });
  });
  afterAll(async () => {
    for (const u of users) await u.stop();
    await worker?.stop();
    await xmpp?.stop();
    await push?.stop();
  });

  it("a device enabled, then gone: bob's message reaches the push service encrypted and signed", async () => {
    const { sub, reg } = await registerDevice(worker.url, push);
    const alice = await login("alice");
    await enableOnServer(alice, reg);
    await alice.stop();
    const bob = await login("bob");
    const t0 = Date.now();
    await bob.send("alice@localhost", "hello from ejabberd");
    await push.waitForPushes(1, 10_000);
    console.info({ event: "push_latency_ejabberd", ms: (push.pushes[0]?.at ?? 0) - t0 });
    expect(push.pushes[0]?.id).toBe(sub.id);
    expect(push.pushes[0]?.payload).toMatchObject({ sender: "bob@localhost" });
    expect(push.pushes[0]?.payload).not.toHaveProperty("body");
    expect(push.refused).toEqual([]);
  });
});
