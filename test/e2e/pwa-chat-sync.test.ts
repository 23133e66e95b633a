// The chat PWA survives the phone, end to end: real Chromium (service worker, IndexedDB, offline
// emulation) → wrangler dev → real Prosody (smacks, mam, carbons loaded), bob as a Node @xmpp/client.
// History on the device, the outbox across offline reloads, archive catch-up (XEP-0313) after the page
// was closed, carbons (XEP-0280), chat states (XEP-0085), and a 200+200 message burst.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, type Peer, readLog, startPeer, WAIT } from "./chat-support";

const PASSWORD = { alice: "alice-pw-7", bob: "bob-pw-7" };
const BURST = 200;

describe("chat PWA: device history, outbox, archive catch-up, carbons", () => {
  let prosody: ProsodyServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let bob: Peer;
  let page: Page;
  let alice: string;
  let bobJid: string;
  const errors: string[] = [];

  const connection = () => page.getByTestId("connection");
  const row = () => page.locator(`button.contact[data-jid="${bobJid}"]`);
  // The whole conversation, scrolled through (the log is windowed: not every row is in the DOM).
  const shown = async () => (await readLog(page)).map((r) => r.body);
  const outStates = async () => (await readLog(page)).filter((r) => r.direction === "out").map((r) => `${r.body}:${r.state}`);
  const count = (list: string[], body: string) => list.filter((b) => b === body).length;
  const prosodyLog = () => readFileSync(join(prosody.dir, "prosody.log"), "utf8");
  const openPage = async () => {
    page = await browser.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${worker.url}/`);
  };
  const openBobChat = async () => {
    await row().click({ timeout: WAIT });
    await page.getByRole("log", { name: "Messages" }).waitFor({ timeout: WAIT });
  };
  const send = async (body: string) => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(body);
    await box.press("Enter");
  };

  beforeAll(async () => {
    buildPwaIfStale();
    prosody = await startProsody({ users: PASSWORD });
    alice = `alice@${prosody.domain}`;
    bobJid = `bob@${prosody.domain}`;
    worker = await startWorker({ XMPP_WEBSOCKET_URL: prosody.wsUrl });
    browser = await launchBrowser();
    bob = await startPeer(prosody.wsUrl, prosody.domain, "bob", PASSWORD.bob);
  });

  afterAll(async () => {
    await bob?.xmpp.stop().catch(() => {});
    await browser?.close();
    await worker?.stop();
    await prosody?.stop();
  });

  it("keeps the history on the device: an offline reload shows it at once, reconnecting", async () => {
    await openPage();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? "")).toMatch(/\/sw\.js$/);

    await page.getByLabel("Address").fill(alice);
    await page.getByLabel("Password").fill(PASSWORD.alice);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await bob.xmpp.send(xml("presence", { type: "subscribe", to: alice }));
    await page.getByRole("button", { name: `Approve ${bobJid}` }).click({ timeout: WAIT });
    await expect.poll(() => row().textContent(), { timeout: WAIT }).toContain("available");

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

  it("shows a message alice sent from another device as hers (carbons), and typing both ways (chat states)", async () => {
    const phone = await startPeer(prosody.wsUrl, prosody.domain, "alice", PASSWORD.alice, "phone");
    try {
      await phone.xmpp.send(xml("message", { to: bobJid, type: "chat", id: "p1" }, xml("body", {}, "sent from alice's phone")));
      await expect.poll(outStates, { timeout: WAIT }).toContain("sent from alice's phone:sent");
    } finally {
      await phone.xmpp.stop().catch(() => {});
    }
    await bob.xmpp.send(
      xml("message", { to: alice, type: "chat" }, xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" })),
    );
    await expect.poll(() => page.getByTestId("typing").textContent(), { timeout: WAIT }).toContain("is typing…");
    await page.getByRole("textbox", { name: "Message" }).pressSequentially("hm");
    await bob.waitFor("alice's composing", (el) => !!el.getChild("composing", "http://jabber.org/protocol/chatstates"));
    await send("done");
    await bob.waitForBodies((b) => b.includes("done"), "done");
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "t1" }, xml("body", {}, "ok")));
    await expect.poll(() => page.getByTestId("typing").textContent(), { timeout: WAIT }).toBe("");
  });

  it(`carries a burst of ${BURST} messages each way without dropping the session, losing or duplicating one`, async () => {
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid="connection"]');
      const seen: string[] = [];
      (window as unknown as { __states: string[] }).__states = seen;
      if (el)
        new MutationObserver(() => seen.push(el.textContent ?? "")).observe(el, {
          subtree: true,
          childList: true,
          characterData: true,
        });
    });
    const fromBob = Array.from({ length: BURST }, (_, i) => `burst b ${i}`);
    const fromAlice = Array.from({ length: BURST }, (_, i) => `burst a ${i}`);
    await Promise.all([
      (async () => {
        for (const [i, body] of fromBob.entries())
          await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: `bb${i}` }, xml("body", {}, body)));
      })(),
      (async () => {
        for (const body of fromAlice) await send(body);
      })(),
    ]);
    await bob.waitForBodies((b) => b.includes(fromAlice.at(-1) as string), "alice's burst");
    await expect.poll(async () => (await shown()).filter((b) => b.startsWith("burst b")).length, { timeout: WAIT }).toBe(BURST);
    await send("after the burst");
    await bob.waitForBodies((b) => b.includes("after the burst"), "the marker");
    expect(bob.bodies().filter((b) => b.startsWith("burst a"))).toEqual(fromAlice);
    expect((await shown()).filter((b) => b.startsWith("burst b"))).toEqual(fromBob);
    const states = await page.evaluate(() => (window as unknown as { __states: string[] }).__states);
    expect(states.filter((s) => !s.includes("Online"))).toEqual([]);
    // The PWA ran XEP-0198 throughout (smacks.ts) and Prosody never found its acks wrong.
    const log = prosodyLog();
    expect(log).toMatch(/Enabling stream management|sm:3.*enabled|<enabled/i);
    expect(log).not.toContain("acknowledged more stanzas than");
  });

  it("windows the long conversation: few rows in the DOM, sticks to the bottom, keeps the reader's place", async () => {
    const log = page.getByRole("log", { name: "Messages" });
    const geometry = () =>
      log.evaluate((el) => {
        const rows = Array.from(el.querySelectorAll<HTMLElement>("li.msg"));
        const first = rows.find((r) => r.offsetTop + r.offsetHeight > el.scrollTop);
        return {
          rows: rows.length,
          size: Number(rows[0]?.getAttribute("aria-setsize")),
          fromBottom: el.scrollHeight - el.scrollTop - el.clientHeight,
          first: first?.querySelector(".msg__body")?.textContent ?? "",
          firstOffset: first ? first.offsetTop - el.scrollTop : Number.NaN,
        };
      });
    const atBottom = await geometry();
    expect(atBottom.size).toBeGreaterThan(2 * BURST);
    expect(atBottom.rows).toBeLessThan(60);
    expect(atBottom.fromBottom).toBeLessThanOrEqual(8);
    expect(await log.getAttribute("tabindex")).toBe("0"); // scrollable by keyboard

    // At the bottom: a new message scrolls into view.
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "w1" }, xml("body", {}, "window news 1")));
    await expect.poll(() => log.locator("li.msg").last().textContent(), { timeout: WAIT }).toContain("window news 1");
    expect((await geometry()).fromBottom).toBeLessThanOrEqual(8);

    // Scrolled up into the middle: new messages below and an older one inserted above (a delayed delivery
    // stamped in 2001, XEP-0203) leave the first visible row where it was.
    await log.evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await expect.poll(async () => (await geometry()).first, { timeout: WAIT }).toMatch(/^burst/);
    await page.waitForTimeout(200);
    const before = await geometry();
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "w2" }, xml("body", {}, "window news 2")));
    await bob.xmpp.send(
      xml(
        "message",
        { to: alice, type: "chat", id: "w3" },
        xml("body", {}, "window old news"),
        xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2001-01-01T00:00:00Z" }),
      ),
    );
    await expect.poll(async () => (await geometry()).size, { timeout: WAIT }).toBe(before.size + 2);
    await page.waitForTimeout(200);
    const after = await geometry();
    expect(after.first).toBe(before.first);
    expect(Math.abs(after.firstOffset - before.firstOffset)).toBeLessThanOrEqual(1);
    expect(after.fromBottom).toBeGreaterThan(100);
    const all = (await readLog(page)).map((r) => r.body);
    expect(all[0]).toBe("window old news");
    expect(all.at(-1)).toBe("window news 2");
    expect((await geometry()).fromBottom).toBeLessThanOrEqual(8); // readLog leaves it at the bottom
  });

  it("resumes the stream after the WebSocket is cut (XEP-0198): nothing lost or duplicated either way", async () => {
    // Keep a handle on the page's WebSockets to cut them from the outside.
    await page.addInitScript(() => {
      const Native = WebSocket;
      const sockets: WebSocket[] = [];
      (window as unknown as { __sockets: WebSocket[] }).__sockets = sockets;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          sockets.push(this);
        }
      };
    });
    await page.reload();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await openBobChat();
    const resumedBefore = (prosodyLog().match(/session resumed from/g) ?? []).length;
    await page.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.at(-1)?.close());
    const fromBob = Array.from({ length: 20 }, (_, i) => `cut b ${i}`);
    const fromAlice = Array.from({ length: 5 }, (_, i) => `cut a ${i}`);
    for (const [i, body] of fromBob.entries())
      await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: `cb${i}` }, xml("body", {}, body)));
    for (const body of fromAlice) await send(body);
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(async () => (await shown()).filter((b) => b.startsWith("cut b")), { timeout: WAIT }).toEqual(fromBob);
    await send("after the cut");
    await bob.waitForBodies((b) => b.includes("after the cut"), "the marker");
    expect(bob.bodies().filter((b) => b.startsWith("cut a"))).toEqual(fromAlice);
    expect((prosodyLog().match(/session resumed from/g) ?? []).length).toBe(resumedBefore + 1);
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "cb-last" }, xml("body", {}, "bob after the cut")));
    await expect.poll(shown, { timeout: WAIT }).toContain("bob after the cut");
    expect((await shown()).filter((b) => b.startsWith("cut b"))).toEqual(fromBob);
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

  it("while the page is hidden: a system notification for bob's message, and the unread total on the app badge", async () => {
    await browser.grantPermissions(["notifications"], { origin: worker.url });
    // Spies on the platform APIs (and a switch for document.hidden, which headless Chromium never sets).
    await page.addInitScript(() => {
      const w = window as unknown as { __badges: number[]; __notes: string[][]; __hidden: boolean };
      w.__badges = [];
      w.__notes = [];
      w.__hidden = false;
      Object.defineProperty(document, "hidden", { configurable: true, get: () => w.__hidden });
      const nav = navigator as Navigator & { setAppBadge: (n: number) => Promise<void>; clearAppBadge: () => Promise<void> };
      nav.setAppBadge = async (n: number) => void w.__badges.push(n);
      nav.clearAppBadge = async () => void w.__badges.push(0);
      const Native = window.Notification;
      window.Notification = class extends Native {
        constructor(title: string, options?: NotificationOptions) {
          w.__notes.push([title, options?.body ?? ""]);
          super(title, options);
        }
      } as typeof Notification;
    });
    await page.reload();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    expect(await page.getByRole("button", { name: "Enable notifications" }).count()).toBe(0);
    const spy = () =>
      page.evaluate(() => {
        const w = window as unknown as { __badges: number[]; __notes: string[][] };
        return { badges: w.__badges, notes: w.__notes };
      });
    await page.evaluate(() => {
      (window as unknown as { __hidden: boolean }).__hidden = true;
    });
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "n1" }, xml("body", {}, "are you there?")));
    await expect.poll(async () => (await spy()).notes, { timeout: WAIT }).toEqual([[bobJid, "are you there?"]]);
    await expect.poll(async () => (await spy()).badges.at(-1), { timeout: WAIT }).toBe(1);
    await page.evaluate(() => {
      (window as unknown as { __hidden: boolean }).__hidden = false;
    });
    await openBobChat();
    await expect.poll(async () => (await spy()).badges.at(-1), { timeout: WAIT }).toBe(0);
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "n2" }, xml("body", {}, "seen while visible")));
    await expect.poll(shown, { timeout: WAIT }).toContain("seen while visible");
    expect((await spy()).notes).toHaveLength(1);
  });

  it("logs out clearing this device's history on request", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("Also clear this device's history").check();
    await page.getByRole("button", { name: "Confirm log out" }).click();
    await page.getByLabel("Password").waitFor({ timeout: WAIT });
    const rows = () =>
      page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open("porthole");
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        const n = await new Promise<number>((resolve) => {
          const req = db.transaction("messages").objectStore("messages").count();
          req.onsuccess = () => resolve(req.result);
        });
        db.close();
        return n;
      });
    await expect.poll(rows, { timeout: WAIT }).toBe(0);
    await page.reload();
    await page.getByLabel("Password").waitFor({ timeout: WAIT });
    expect(await page.locator(".msg").count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
