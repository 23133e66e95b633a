// The chat PWA's live session, end to end: real Chromium → wrangler dev → real Prosody (smacks, mam,
// carbons loaded), bob as a Node @xmpp/client. Carbons (XEP-0280), chat states (XEP-0085), a 200+200
// message burst over stream management (XEP-0198), the windowed log of the long conversation, and system
// notifications + app badge while hidden. Stream resumption is in pwa-chat-resume.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProsodyServer } from "../support/prosody";
import type { WorkerServer } from "../support/wrangler-dev";
import {
  type ChatRig,
  chatView,
  loginAndBefriendBob,
  openMenu,
  type Peer,
  readLog,
  recordConnectionStates,
  startChatRig,
  startPeer,
  WAIT,
} from "./chat-support";

const PASSWORD = { alice: "alice-pw-8", bob: "bob-pw-8" };
const BURST = 200;

describe("chat PWA: carbons, typing, burst, windowed log, notifications", () => {
  let rig: ChatRig;
  let prosody: ProsodyServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let bob: Peer;
  let page: Page;
  let alice: string;
  let bobJid: string;
  let errors: string[];

  const { connection, shown, outStates, openBobChat, send } = chatView(
    () => page,
    () => bobJid,
  );
  const openPage = async () => {
    page = await rig.newPage();
    await page.goto(`${worker.url}/`);
  };
  const prosodyLog = () => readFileSync(join(prosody.dir, "prosody.log"), "utf8");

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD);
    ({ prosody, worker, browser, bob, alice, bobJid, errors } = rig);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("logs in, befriends bob and opens the chat with him", async () => {
    await openPage();
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    await openBobChat();
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
    const connectionStates = await recordConnectionStates(page);
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
    const states = await connectionStates();
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

  it("while the page is hidden: a system notification for bob's message, and the unread total on the app badge", async () => {
    await browser.grantPermissions(["notifications"], { origin: worker.url });
    // Back to the contact list: a reload reopens the chat that was open, and this case is about a chat
    // that is not.
    await page.getByRole("button", { name: "Back to contacts" }).click();
    // Spies on the platform APIs (and a switch for document.hidden, which headless Chromium never sets).
    await page.addInitScript(() => {
      const w = window as unknown as { __badges: number[]; __notes: string[][]; __hidden: boolean };
      w.__badges = [];
      w.__notes = [];
      w.__hidden = false;
      Object.defineProperty(document, "hidden", { configurable: true, get: () => w.__hidden });
      Object.defineProperty(document, "visibilityState", {
        configurable: true,
        get: () => (w.__hidden ? "hidden" : "visible"),
      });
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
    // Granted: the menu says so and offers no button to ask again.
    await openMenu(page, "Menu");
    expect(await page.getByTestId("notification-setting").getAttribute("data-access")).toBe("granted");
    expect(await page.getByRole("button", { name: "Enable notifications" }).count()).toBe(0);
    await page.keyboard.press("Escape");
    const spy = () =>
      page.evaluate(() => {
        const w = window as unknown as { __badges: number[]; __notes: string[][] };
        return { badges: w.__badges, notes: w.__notes };
      });
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        (window as unknown as { __hidden: boolean }).__hidden = h;
        document.dispatchEvent(new Event("visibilitychange"));
      }, hidden);
    await setHidden(true);
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "n1" }, xml("body", {}, "are you there?")));
    await expect.poll(async () => (await spy()).notes, { timeout: WAIT }).toEqual([[bobJid, "are you there?"]]);
    await expect.poll(async () => (await spy()).badges.at(-1), { timeout: WAIT }).toBe(1);
    await setHidden(false);
    await openBobChat();
    await expect.poll(async () => (await spy()).badges.at(-1), { timeout: WAIT }).toBe(0);
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "n2" }, xml("body", {}, "seen while visible")));
    await expect.poll(shown, { timeout: WAIT }).toContain("seen while visible");
    expect((await spy()).notes).toHaveLength(1);
    // Hidden with bob's chat open: nobody sees his message, so it is unread until the page is back.
    await setHidden(true);
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "n3" }, xml("body", {}, "while you were away")));
    await expect.poll(async () => (await spy()).badges.at(-1), { timeout: WAIT }).toBe(1);
    expect(await page.title()).toMatch(/^\(1\) /);
    await setHidden(false);
    await expect.poll(async () => (await spy()).badges.at(-1), { timeout: WAIT }).toBe(0);
  });

  it("raised no error in any page", () => {
    expect(errors).toEqual([]);
  });
});
