// Push notifications end to end with Debian's Prosody 0.12 and mod_cloud_notify (XEP-0357): the worker
// under wrangler dev is the push component (XEP-0114) and sends Web Push to a push service stand-in on
// 127.0.0.1 (test/support/push-service.ts) that checks VAPID and decrypts each push. The PWA in
// Chromium: headless Chromium without network cannot reach FCM (pushManager.subscribe never settles
// here), so only the page's PushManager is replaced, by one whose subscription is the stand-in's; the
// service worker's push handling gets the decrypted payload through DevTools (deliverPushMessage).
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { waitFor } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { type PushService, startPushService } from "../support/push-service";
import { type LogRecord, watchLogRecords } from "../support/worker-log";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { connectUser, type XmppUser } from "../support/xmpp-user";
import { enableOnServer, registerDevice, vapidKeys } from "./push-support";

const COMPONENT = "push.localhost";

describe("push notifications with Prosody's mod_cloud_notify", () => {
  let xmpp: ProsodyServer;
  let worker: WorkerServer;
  let push: PushService;
  let logs: { records: (event?: string) => LogRecord[] };
  let vapidPublic = "";
  let browser: BrowserContext | undefined;
  const users: XmppUser[] = [];
  const login = async (username: string) => {
    const u = await connectUser({
      service: `${worker.url.replace("http", "ws")}/xmpp-websocket`,
      domain: "localhost",
      username,
      password: `${username}-pw`,
    });
    users.push(u);
    return u;
  };

  /** A device as the PWA makes one: a subscription, registered with the worker, enabled at the server. */
  async function device(username: string, secretOverride?: string) {
    const made = await registerDevice(worker.url, push);
    expect(made.reg.jid).toBe(COMPONENT);
    const u = await login(username);
    await enableOnServer(u, made.reg, secretOverride);
    await u.stop(); // the device goes away: the app is closed
    return made;
  }

  beforeAll(async () => {
    const vapid = vapidKeys();
    vapidPublic = vapid.publicKey;
    push = await startPushService({ vapidPublicKey: vapid.publicKey });
    xmpp = await startProsody({
      users: { alice: "alice-pw", bob: "bob-pw", carol: "carol-pw" },
      modules: ["cloud_notify"],
      extraConfig: "push_notification_with_sender = true",
      components: { [COMPONENT]: "component-secret" },
    });
    worker = await startWorker({
      XMPP_WEBSOCKET_URL: xmpp.wsUrl,
      PUSH_COMPONENT_JID: COMPONENT,
      PUSH_COMPONENT_ADDRESS: `tcp://127.0.0.1:${xmpp.componentPort}`,
      PUSH_COMPONENT_SECRET: "component-secret",
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: "mailto:ops@localhost",
      PUSH_SERVICES: push.origin,
    });
    logs = watchLogRecords(worker.proc.child);
  });
  afterAll(async () => {
    await browser?.close();
    for (const u of users) await u.stop();
    await worker?.stop();
    await xmpp?.stop();
    await push?.stop();
  });

  it("a closed device gets one encrypted, VAPID-signed push within a second of bob's message; no text, no secret in the logs", async () => {
    const { sub, reg } = await device("alice");
    const bob = await login("bob");
    const t0 = Date.now();
    await bob.send("alice@localhost", "are you there?");
    await push.waitForPushes(1, 5000);
    const got = push.pushes[0];
    const ms = (got?.at ?? 0) - t0;
    console.info({ event: "push_latency", ms });
    expect(ms).toBeLessThan(1000);
    expect(got?.id).toBe(sub.id);
    expect(got?.payload).toEqual({ sender: "bob@localhost", count: 1 }); // no body: not sent, not allowed
    expect(got?.claims).toMatchObject({ aud: push.origin, sub: "mailto:ops@localhost" });
    expect(got?.headers).toMatchObject({ ttl: "86400", urgency: "high" });
    expect(got?.headers.topic).toMatch(/^[\w-]{32}$/);
    expect(push.refused).toEqual([]);
    await waitFor("push_sent log", async () => logs.records("push_sent").length >= 1, 5000);
    const all = JSON.stringify(logs.records());
    expect(all).not.toContain(reg.secret);
    expect(all).not.toContain("component-secret");
    expect(all).not.toContain(sub.endpoint);
  });

  it("a push service answering 429 is retried; 410 deletes the device and the server hears item-not-found", async () => {
    const before = push.pushes.length;
    const { sub } = await device("carol");
    push.respond(sub.id, [[429, "1"]]);
    const bob = users.find((u) => u.jid.startsWith("bob@")) ?? (await login("bob"));
    await bob.send("carol@localhost", "one");
    await push.waitForPushes(before + 1, 8000);
    expect(push.posts.filter((p) => p.id === sub.id).map((p) => p.status)).toEqual([429, 201]);

    push.respond(sub.id, [410]);
    await bob.send("carol@localhost", "two");
    await waitFor("push_gone log", async () => logs.records("push_gone").length >= 1, 8000);
    await bob.send("carol@localhost", "three");
    await waitFor(
      "refused publish for the deleted node",
      async () => logs.records("push_refused").some((r) => r.why === "unknown"),
      8000,
    );
    expect(push.posts.filter((p) => p.id === sub.id).map((p) => p.status)).toEqual([429, 201, 410]);
  });

  it("a publish with another secret is refused; a dropped component link is back within seconds and pushes again", async () => {
    const refusedBefore = logs.records("push_refused").filter((r) => r.why === "forbidden").length;
    await device("carol", "not-the-secret");
    const bob = users.find((u) => u.jid.startsWith("bob@")) ?? (await login("bob"));
    await bob.send("carol@localhost", "wrong secret");
    await waitFor(
      "forbidden publish",
      async () => logs.records("push_refused").filter((r) => r.why === "forbidden").length > refusedBefore,
      8000,
    );

    const upBefore = logs.records("push_component_up").length;
    const t0 = Date.now();
    await xmpp.restart();
    await waitFor("component link back", async () => logs.records("push_component_up").length > upBefore, 20_000);
    const reconnectMs = Date.now() - t0;
    console.info({ event: "push_reconnect", ms: reconnectMs });
    expect(logs.records("push_component_lost").length).toBeGreaterThanOrEqual(1);
    const before = push.pushes.length;
    const phone = await device("alice"); // alice's second device; the first (s1) was enabled before the restart
    const bob2 = await login("bob");
    await bob2.send("alice@localhost", "after the restart");
    await push.waitForPushes(before + 2, 5000);
    expect(
      push.pushes
        .slice(before)
        .map((p) => p.id)
        .sort(),
    ).toEqual(["s1", phone.sub.id].sort());
  });

  it("the PWA: the switch subscribes and enables; closed, bob's message is pushed, shown by the service worker, a click opens the chat; off and logout disable", async () => {
    const sub = push.subscribe();
    browser = await launchBrowser();
    await browser.grantPermissions(["notifications"], { origin: worker.url });
    // The page's PushManager hands out the stand-in's subscription (and records the key it was given).
    await browser.addInitScript((s: { endpoint: string; keys: { p256dh: string; auth: string } }) => {
      let current: unknown = null;
      const w = window as unknown as { __pushKeys: unknown[] };
      w.__pushKeys = [];
      const make = () => ({
        endpoint: s.endpoint,
        expirationTime: null,
        toJSON: () => ({ endpoint: s.endpoint, expirationTime: null, keys: s.keys }),
        unsubscribe: async () => {
          current = null;
          return true;
        },
      });
      PushManager.prototype.subscribe = async (o?: PushSubscriptionOptionsInit) => {
        w.__pushKeys.push(o?.applicationServerKey);
        current = make();
        return current as PushSubscription;
      };
      PushManager.prototype.getSubscription = async () => current as PushSubscription | null;
    }, sub);
    const page = await browser.newPage();
    await page.goto(`${worker.url}/`);
    await page.getByLabel("Address", { exact: true }).fill("alice@localhost");
    await page.getByLabel("Password").fill("alice-pw");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByTestId("connection").textContent(), { timeout: 30_000 }).toContain("Online");
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.getByRole("button", { name: "Menu", exact: true }).click();
    await page.getByRole("button", { name: "Settings" }).click();
    const setting = page.getByTestId("push-setting");
    await expect.poll(() => setting.getAttribute("data-state"), { timeout: 10_000 }).toBe("off");
    await page.getByLabel("Notify me when Porthole is closed").click(); // a controlled switch: busy, then on
    await expect.poll(() => setting.getAttribute("data-state"), { timeout: 10_000 }).toBe("on");
    expect(await page.evaluate(() => (window as unknown as { __pushKeys: unknown[] }).__pushKeys)).toEqual([vapidPublic]);

    await page.close(); // Porthole is closed
    const before = push.pushes.length;
    const bob = await login("bob");
    const t0 = Date.now();
    await bob.send("alice@localhost", "ping from bob");
    await waitFor("the PWA's push", async () => push.pushes.slice(before).some((p) => p.id === sub.id), 5000);
    const got = push.pushes.slice(before).find((p) => p.id === sub.id);
    console.info({ event: "push_latency_pwa", ms: (got?.at ?? 0) - t0 });
    expect(got?.payload).toEqual({ sender: "bob@localhost", count: 1 });

    // The service worker shows what the push service delivers (the decrypted payload).
    const app = await browser.newPage();
    await app.goto(`${worker.url}/`);
    await expect.poll(() => app.getByTestId("connection").textContent(), { timeout: 30_000 }).toContain("Online");
    const cdp = await browser.newCDPSession(app);
    const versions: Array<{ registrationId: string; status: string }> = [];
    cdp.on("ServiceWorker.workerVersionUpdated", (e) => versions.push(...e.versions));
    await cdp.send("ServiceWorker.enable");
    const active = () => versions.filter((v) => v.status === "activated").at(-1)?.registrationId;
    await waitFor("the active service worker", async () => active() !== undefined, 10_000);
    const shown = () =>
      app.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
        })),
      );
    // Delivered again while nothing shows (a worker still starting may miss the first); one tag, so one notification.
    await expect
      .poll(
        async () => {
          const now = await shown();
          if (now.length === 0) {
            await cdp.send("ServiceWorker.deliverPushMessage", {
              origin: worker.url,
              registrationId: active() ?? "",
              data: JSON.stringify(got?.payload),
            });
          }
          return now;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toEqual([{ title: "New message from bob@localhost", body: "", tag: "chat:bob@localhost" }]);

    // A click (dispatched in the service worker: DevTools cannot click a system notification) opens the chat.
    const sw = browser.serviceWorkers()[0] ?? (await browser.waitForEvent("serviceworker"));
    await sw.evaluate(async () => {
      const g = self as unknown as {
        registration: ServiceWorkerRegistration;
        dispatchEvent: (e: Event) => boolean;
        NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
      };
      const [n] = await g.registration.getNotifications();
      g.dispatchEvent(new g.NotificationEvent("notificationclick", { notification: n as Notification }));
    });
    await app.locator('section.chat[data-jid="bob@localhost"]').waitFor({ timeout: 10_000 });
    expect(await shown()).toEqual([]);

    // One left from before the app opened is closed when it opens.
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: worker.url,
      registrationId: active() ?? "",
      data: JSON.stringify(got?.payload),
    });
    await expect.poll(async () => (await shown()).length, { timeout: 10_000 }).toBe(1);
    await app.reload();
    await expect.poll(shown, { timeout: 10_000 }).toEqual([]);
    await app.locator('[data-testid="connection"]').waitFor({ timeout: 30_000 });

    // Off: the worker forgets the node.
    const device = await readDevice();
    expect(device.node).toMatch(/^[\w-]{22}$/);
    await app.getByRole("button", { name: "Menu", exact: true }).click();
    await app.getByRole("button", { name: "Settings" }).click();
    await app.getByLabel("Notify me when Porthole is closed").click();
    await expect.poll(() => app.getByTestId("push-setting").getAttribute("data-state"), { timeout: 10_000 }).toBe("off");
    const gone = await fetch(`${worker.url}/push/devices/${device.node}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${device.secret}` },
    });
    expect(gone.status).toBe(404);

    // Logout turns it off too.
    await app.getByLabel("Notify me when Porthole is closed").click();
    await expect.poll(() => app.getByTestId("push-setting").getAttribute("data-state"), { timeout: 10_000 }).toBe("on");
    const second = await readDevice();
    expect(second.node).not.toBe(device.node);
    await app.keyboard.press("Escape");
    await app.getByRole("button", { name: "Menu", exact: true }).click();
    await app.getByRole("button", { name: "Log out" }).click();
    await app.getByRole("button", { name: "Confirm log out" }).click();
    await app.getByLabel("Address", { exact: true }).waitFor({ timeout: 10_000 });
    // Asked without changing anything: a PUT of the same subscription is 204 while the node exists.
    const exists = async () =>
      (
        await fetch(`${worker.url}/push/devices/${second.node}`, {
          method: "PUT",
          headers: { "content-type": "application/json", authorization: `Bearer ${second.secret}` },
          body: JSON.stringify({ subscription: { endpoint: sub.endpoint, keys: sub.keys } }),
        })
      ).status;
    await expect.poll(exists, { timeout: 10_000 }).toBe(404);
    expect(await readDevice()).toBeUndefined();
    await app.close();

    async function readDevice() {
      return app.evaluate(
        () =>
          new Promise<{ node: string; secret: string }>((resolve, reject) => {
            const req = indexedDB.open("porthole-push");
            req.onsuccess = () => {
              const get = req.result.transaction("device").objectStore("device").get("device");
              get.onsuccess = () => resolve(get.result);
              get.onerror = () => reject(get.error);
            };
          }),
      );
    }
  });
});
