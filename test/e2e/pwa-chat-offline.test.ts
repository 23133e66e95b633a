// The chat PWA survives being offline, end to end: real Chromium (service worker, IndexedDB, offline
// emulation) → wrangler dev → real Prosody (smacks, mam, carbons loaded), bob as a Node @xmpp/client.
// History kept on the device, the outbox across offline reloads, archive catch-up (XEP-0313) after the
// page was closed or reloaded offline, and logout clearing the device's history.
import { xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkerServer } from "../support/wrangler-dev";
import { type ChatRig, chatView, deviceMessageCount, loginAndBefriendBob, type Peer, startChatRig, WAIT } from "./chat-support";

const PASSWORD = { alice: "alice-pw-7", bob: "bob-pw-7" };

describe("chat PWA: device history, outbox, archive catch-up", () => {
  let rig: ChatRig;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let bob: Peer;
  let page: Page;
  let alice: string;
  let bobJid: string;
  let errors: string[];

  const { connection, shown, outStates, openBobChat, send, logout } = chatView(
    () => page,
    () => bobJid,
  );
  const openPage = async () => {
    page = await rig.newPage();
    await page.goto(`${worker.url}/`);
  };
  const count = (list: string[], body: string) => list.filter((b) => b === body).length;

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD);
    ({ worker, browser, bob, alice, bobJid, errors } = rig);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("keeps the history on the device: an offline reload shows it at once, reconnecting", async () => {
    await openPage();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? "")).toMatch(/\/sw\.js$/);

    await loginAndBefriendBob(page, rig, PASSWORD.alice);

    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "h1" }, xml("body", {}, "history from bob")));
    await openBobChat();
    await expect.poll(shown, { timeout: WAIT }).toContain("history from bob");
    await send("history from alice");
    await expect.poll(outStates, { timeout: WAIT }).toEqual(["history from alice:delivered"]);
    // No password anywhere on the device.
    const stored = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open("porthole");
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const all = (store: string) =>
        new Promise<unknown[]>((resolve) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
        });
      const text = JSON.stringify([await all("messages"), await all("meta"), { ...localStorage }]);
      db.close();
      return text;
    });
    expect(stored).toContain("history from bob");
    expect(stored).not.toContain(PASSWORD.alice);

    await browser.setOffline(true);
    await page.reload();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Reconnecting");
    await openBobChat();
    expect(await shown()).toEqual(["history from bob", "history from alice"]);
    expect(await outStates()).toEqual(["history from alice:delivered"]);
  });

  it("keeps messages typed offline as pending (even across a reload) and sends them once, in order, when back", async () => {
    const outbox = ["outbox 1", "outbox 2", "outbox 3"];
    for (const body of outbox) await send(body);
    await expect
      .poll(outStates, { timeout: WAIT })
      .toEqual(["history from alice:delivered", ...outbox.map((b) => `${b}:queued`)]);
    expect(await page.locator('.msg--out[data-state="queued"] .msg__state').first().textContent()).toContain("Pending");
    await page.reload(); // still offline
    await openBobChat();
    expect(await outStates()).toEqual(["history from alice:delivered", ...outbox.map((b) => `${b}:queued`)]);

    await browser.setOffline(false);
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await bob.waitForBodies((b) => b.includes("outbox 3"), "the outbox");
    await expect
      .poll(outStates, { timeout: WAIT })
      .toEqual(["history from alice:delivered", ...outbox.map((b) => `${b}:delivered`)]);
    // A marker sent after them arrives after any duplicate would have.
    await send("after the outbox");
    await bob.waitForBodies((b) => b.includes("after the outbox"), "the marker");
    expect(bob.bodies().filter((b) => b.startsWith("outbox"))).toEqual(outbox);
  });

  it("catches up from the archive after the page was closed: missed messages appear once, and once after a reload", async () => {
    await page.close();
    for (const [id, body] of [
      ["a1", "while away 1"],
      ["a2", "while away 2"],
    ])
      await bob.xmpp.send(xml("message", { to: alice, type: "chat", id }, xml("body", {}, body)));
    await openPage();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(() => page.getByTestId("total-unread").textContent(), { timeout: WAIT }).toContain("2");
    await openBobChat();
    await expect.poll(shown, { timeout: WAIT }).toContain("while away 2");
    let bodies = await shown();
    expect([count(bodies, "while away 1"), count(bodies, "while away 2"), count(bodies, "outbox 1")]).toEqual([1, 1, 1]);
    expect(bodies.indexOf("while away 1")).toBeLessThan(bodies.indexOf("while away 2"));

    await page.reload();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "a3" }, xml("body", {}, "live after reload")));
    await openBobChat();
    await expect.poll(shown, { timeout: WAIT }).toContain("live after reload");
    bodies = await shown();
    expect(["history from bob", "while away 1", "while away 2", "outbox 3"].map((b) => count(bodies, b))).toEqual([1, 1, 1, 1]);
  });

  it("offline with a reload in between: bob's 20 arrive once each, alice's 5 reach bob once, in order", async () => {
    await browser.setOffline(true);
    await page.reload();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Reconnecting");
    await openBobChat();
    const fromBob = Array.from({ length: 20 }, (_, i) => `offline b ${i}`);
    const fromAlice = Array.from({ length: 5 }, (_, i) => `offline a ${i}`);
    for (const [i, body] of fromBob.entries())
      await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: `ob${i}` }, xml("body", {}, body)));
    for (const body of fromAlice) await send(body);
    expect((await outStates()).filter((s) => s.startsWith("offline a"))).toEqual(fromAlice.map((b) => `${b}:queued`));
    await page.reload(); // still offline, still pending
    await openBobChat();
    expect((await outStates()).filter((s) => s.startsWith("offline a"))).toEqual(fromAlice.map((b) => `${b}:queued`));
    await browser.setOffline(false);
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(async () => (await shown()).filter((b) => b.startsWith("offline b")), { timeout: WAIT }).toEqual(fromBob);
    await send("after offline");
    await bob.waitForBodies((b) => b.includes("after offline"), "the marker");
    expect(bob.bodies().filter((b) => b.startsWith("offline a"))).toEqual(fromAlice);
    await page.reload();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "ob-last" }, xml("body", {}, "bob after offline")));
    await openBobChat();
    await expect.poll(shown, { timeout: WAIT }).toContain("bob after offline");
    expect((await shown()).filter((b) => b.startsWith("offline b"))).toEqual(fromBob);
    expect(bob.bodies().filter((b) => b.startsWith("offline a"))).toEqual(fromAlice);
  });

  it("a message written to a server that went silent is Sending…, not Sent, until the server acknowledges it", async () => {
    // SIGSTOP: the socket stays open and takes the write, but nothing answers (a phone that lost its
    // network before the WebSocket noticed). Only the server's XEP-0198 ack makes it "sent".
    const pid = rig.prosody.pid();
    if (!pid) throw new Error("prosody has no pid");
    process.kill(pid, "SIGSTOP");
    try {
      await send("to a silent server");
      await expect.poll(async () => (await outStates()).at(-1), { timeout: WAIT }).toBe("to a silent server:sending");
      await page.waitForTimeout(1500); // the write is long done; no ack can come
      expect((await outStates()).at(-1)).toBe("to a silent server:sending");
      expect(await page.locator('.msg--out[data-state="sending"] .msg__state').last().textContent()).toContain("Sending");
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await expect.poll(async () => (await outStates()).at(-1), { timeout: WAIT }).toBe("to a silent server:delivered");
    expect(count(bob.bodies(), "to a silent server")).toBe(1);
  });

  it("logs out clearing this device's history on request", async () => {
    await logout(true);
    await page.getByLabel("Password").waitFor({ timeout: WAIT });
    const rows = () => deviceMessageCount(page);
    await expect.poll(rows, { timeout: WAIT }).toBe(0);
    await page.reload();
    await page.getByLabel("Password").waitFor({ timeout: WAIT });
    expect(await page.locator(".msg").count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
