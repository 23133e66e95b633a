// Group chat in the PWA, end to end: real Chromium → wrangler dev → real Prosody 0.12 with mod_muc +
// mod_muc_mam on conference.localhost and PEP bookmarks (mod_bookmarks). The other occupant, bob, is a
// Node @xmpp/client user sending the stanzas exactly as Converse.js builds them: the join presence of
// MUC.constructPresence (src/headless/plugins/muc/muc.js: <x xmlns=muc><history maxstanzas=0/> when the
// room has an archive) and the groupchat message of createMessageStanza (body, <active/> chat state,
// <origin-id/>, id = origin-id). One page session walks through: a nickname in use refused in words with
// the form kept, join, messages both ways with my reflection shown once, a mention highlighted, counted
// and notified while hidden, the room opened at its "2 new messages" divider (no jump button while the
// newest is on screen, my own reply not counted), a message typed offline sent exactly once, a reload showing the room's
// history, a new tab catching up from the room's archive (XEP-0313 on the room JID), and a second
// browser (another device) joining the room by itself from the bookmark (XEP-0402 autojoin), and a
// room that forgot me without a word (a test-only Prosody module) found by the self-ping (XEP-0410)
// after a resumed stream, and joined again.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotViews } from "../support/browser";
import { ROOT } from "../support/process";
import { type ChatRig, readLog, startChatRig, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";
import { peerJoinsRoom } from "./rooms-support";

const PASSWORD = { alice: "alice-pw-17", bob: "bob-pw-17" };
const SHOTS = process.env.PORTHOLE_SCREENSHOTS ?? "/tmp";

describe("group chat PWA against Prosody MUC", () => {
  let rig: ChatRig;
  let page: Page;
  let room: string;
  let other: BrowserContext | null = null;

  /** What bob (Converse.js) sends into the room. */
  const bobSays = (body: string) => {
    const id = randomUUID();
    return rig.bob.xmpp.send(
      xml(
        "message",
        { to: room, type: "groupchat", id },
        xml("body", {}, body),
        xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
        xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
      ),
    );
  };
  /** Room messages bob received with this body (every copy). */
  const bobGot = (body: string) =>
    rig.bob.received.filter((el) => el.is("message") && el.attrs.type === "groupchat" && el.getChildText("body") === body).length;
  const roomView = (p: Page = page) => p.locator(`section.room[data-jid="${room}"]`);
  const openRoom = async (p: Page = page) => {
    const deadline = Date.now() + WAIT;
    while (!(await roomView(p).isVisible())) {
      if (Date.now() > deadline) throw new Error("the room did not open");
      const row = p.locator(`button.room-row__open[data-jid="${room}"]`);
      if (await row.isVisible()) await row.click({ timeout: 2000 }).catch(() => {});
      else await p.waitForTimeout(100);
    }
    await p.getByRole("log", { name: "Messages" }).waitFor({ timeout: WAIT });
  };
  const bodies = async (p: Page = page) => (await readLog(p)).map((r) => r.body);
  const login = async (p: Page) => {
    await p.goto(`${rig.worker.url}/`);
    await p.getByLabel("Address", { exact: true }).fill(rig.alice);
    await p.getByLabel("Password").fill(PASSWORD.alice);
    await p.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => p.getByTestId("connection").textContent(), { timeout: WAIT }).toContain("Online");
  };
  const send = async (body: string) => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(body);
    await box.press("Enter");
  };

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD, WAIT, {
      muc: {
        conference: {
          muc_room_locking: "false",
          muc_room_default_persistent: "true",
          // A test-only module that forgets an occupant without a word (test/support/prosody-modules).
          modules_enabled: '{ "muc_mam", "muc_silent_drop" }',
        },
      },
      modules: ["pep", "bookmarks"],
      extraConfig: `plugin_paths = { "${join(ROOT, "test/support/prosody-modules")}" }`,
    });
    room = `lobby@conference.${rig.prosody.domain}`;
    // bob creates the room by joining it, as Converse.js joins.
    await peerJoinsRoom(rig.bob, room, "bob");
  });

  afterAll(async () => {
    await other?.close().catch(() => {});
    await rig?.stop();
  });

  it("refuses a nickname in use in words and keeps the form; joins; messages both ways, my own shown once", async () => {
    page = await rig.newPage();
    await login(page);
    await page.getByText("Join a room").click();
    await page.getByLabel("Room address").fill(room);
    await page.getByLabel("Nickname", { exact: true }).fill("bob");
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await expect
      .poll(() => page.getByTestId("join-problem").textContent(), { timeout: WAIT })
      .toBe("That nickname is already in use in this room. Choose another one.");
    expect(await page.getByLabel("Room address").inputValue()).toBe(room);
    await page.getByLabel("Nickname", { exact: true }).fill("alice");
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await openRoom();
    await expect.poll(() => page.getByRole("button", { name: "2 people" }).count(), { timeout: WAIT }).toBe(1);

    await bobSays("hello everyone <b>not bold</b>");
    await expect.poll(() => bodies(), { timeout: WAIT }).toEqual(["hello everyone <b>not bold</b>"]);
    expect(await roomView().locator("b").count()).toBe(0);
    await send("hi bob");
    await expect.poll(() => bobGot("hi bob"), { timeout: WAIT }).toBe(1);
    await expect
      .poll(async () => (await readLog(page)).filter((r) => r.direction === "out").map((r) => `${r.body}:${r.state}`), {
        timeout: WAIT,
      })
      .toEqual(["hi bob:delivered"]);
    expect(await bodies()).toEqual(["hello everyone <b>not bold</b>", "hi bob"]);
    await screenshotViews(page, "room");
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-room`);
    await page.getByRole("button", { name: "2 people" }).click();
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-people`);
    await page.getByRole("button", { name: "2 people" }).click();
  });

  it("a mention of my nickname is highlighted, counted beside the room and notified while hidden", async () => {
    await rig.browser.grantPermissions(["notifications"], { origin: rig.worker.url });
    await page.evaluate(() => {
      const w = window as unknown as { __notes: string[][] };
      w.__notes = [];
      Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
      const Native = window.Notification;
      window.Notification = class extends Native {
        constructor(title: string, options?: NotificationOptions) {
          w.__notes.push([title, options?.body ?? ""]);
          super(title, options);
        }
      } as typeof Notification;
    });
    await page.getByRole("button", { name: "Back to contacts" }).click();
    await bobSays("just chatting");
    await bobSays("alice: lunch?");
    await expect.poll(() => page.getByTestId("mentions").textContent(), { timeout: WAIT }).toContain("@1");
    expect(await page.evaluate(() => (window as unknown as { __notes: string[][] }).__notes)).toEqual([
      [`bob in ${room}`, "alice: lunch?"],
    ]);
    await openRoom();
    await expect
      .poll(() => roomView().locator("li.msg--mention .msg__body").allTextContents(), { timeout: WAIT })
      .toEqual(["alice: lunch?"]);
    expect(await page.getByTestId("mentions").count()).toBe(0);
    // Opened at its "2 new messages" divider with the newest message on screen: no "↓ 2 new" button.
    await expect.poll(() => roomView().getByTestId("new-divider").textContent(), { timeout: WAIT }).toBe("2 new messages");
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await roomView().locator(".messages__jump").count()).toBe(0);
  });

  it("sends a message typed offline exactly once, and a reload shows the room's history", async () => {
    await rig.browser.setOffline(true);
    await send("typed offline");
    await rig.browser.setOffline(false);
    await expect.poll(() => bobGot("typed offline"), { timeout: WAIT }).toBe(1);
    // My own message after the divider is no news: it still counts bob's two.
    expect(await roomView().getByTestId("new-divider").textContent()).toBe("2 new messages");
    await page.reload();
    await openRoom();
    await expect
      .poll(() => bodies(), { timeout: WAIT })
      .toEqual(["hello everyone <b>not bold</b>", "hi bob", "just chatting", "alice: lunch?", "typed offline"]);
    // Back online after the reload: nothing goes out a second time.
    await expect.poll(() => page.getByTestId("connection").textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(() => page.locator('[data-state="delivered"]').count(), { timeout: WAIT }).toBeGreaterThan(0);
    expect(bobGot("typed offline")).toBe(1);
    expect(bobGot("hi bob")).toBe(1);
  });

  it("a new tab catches up from the room's archive: what was said meanwhile, once, nothing lost", async () => {
    await page.close();
    // Said at once, often in the same whole second as "typed offline" in Prosody's stamps: a catch-up
    // never places it before the newest message the device holds (receive-room-message.ts, chats-proxy.ts).
    await bobSays("while you were away");
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
    await openRoom();
    await expect.poll(() => bodies(), { timeout: WAIT }).toContain("while you were away");
    const all = await bodies();
    expect(all).toEqual([
      "hello everyone <b>not bold</b>",
      "hi bob",
      "just chatting",
      "alice: lunch?",
      "typed offline",
      "while you were away",
    ]);
  });

  it("another device joins the room by itself from the bookmark (autojoin), with its archive", async () => {
    other = await launchBrowser();
    const second = await other.newPage();
    await second.setViewportSize({ width: 1280, height: 800 });
    await login(second);
    await openRoom(second);
    await expect
      .poll(() => second.getByRole("button", { name: /people$/ }).textContent(), { timeout: WAIT })
      .not.toBe("0 people");
    await expect.poll(() => bodies(second), { timeout: WAIT }).toContain("while you were away");
    await bobSays("to both devices");
    await expect.poll(() => bodies(second), { timeout: WAIT }).toContain("to both devices");
    await expect.poll(() => bodies(page), { timeout: WAIT }).toContain("to both devices");
    expect(rig.errors).toEqual([]);
  });

  it("a room that dropped me silently is found by self-ping (XEP-0410) after a resumed stream, and joined again", async () => {
    await other?.close();
    other = null;
    const prosodyLog = () => readFileSync(join(rig.prosody.dir, "prosody.log"), "utf8");
    const resumes = () => (prosodyLog().match(/session resumed from/g) ?? []).length;
    await openRoom();
    await expect.poll(() => page.getByRole("button", { name: /people$/ }).textContent(), { timeout: WAIT }).toBe("2 people");
    const resumedBefore = resumes();
    // The room forgets alice and tells no one, as when her server's link to it was cut.
    await rig.bob.xmpp.iqCaller.request(
      xml("iq", { type: "set", to: room }, xml("drop", { xmlns: "urn:porthole:test:silent-drop", nick: "alice" })),
      WAIT,
    );
    await bobSays("while alice was dropped");
    const mark = rig.bob.received.length;
    // Her connection drops (the server side cuts it, as a network drop would): the page reconnects.
    await rig.bob.xmpp.iqCaller.request(
      xml("iq", { type: "set", to: room }, xml("cut", { xmlns: "urn:porthole:test:silent-drop", user: rig.alice })),
      WAIT,
    );
    // The stream was resumed (no new session, so no rejoin of its own): only the self-ping can find the drop.
    await expect.poll(resumes, { timeout: WAIT }).toBe(resumedBefore + 1);
    await rig.bob.waitFor(
      "alice joining again",
      (el) => rig.bob.received.indexOf(el) >= mark && el.is("presence") && el.attrs.from === `${room}/alice` && !el.attrs.type,
    );
    await expect.poll(() => prosodyLog(), { timeout: WAIT }).toMatch(/silently dropped/);
    // What was said meanwhile comes from the room's archive, once; the room talks to her again.
    await expect.poll(() => bodies(), { timeout: WAIT }).toContain("while alice was dropped");
    await bobSays("welcome back");
    await expect.poll(() => bodies(), { timeout: WAIT }).toContain("welcome back");
    expect((await bodies()).filter((b) => b === "while alice was dropped")).toHaveLength(1);
    expect(rig.errors).toEqual([]);
  });
});
