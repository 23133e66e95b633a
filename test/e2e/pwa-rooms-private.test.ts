// Group chat in the PWA, end to end, continued: real Chromium → wrangler dev → real Prosody 0.12 with
// mod_muc + mod_muc_mam and PEP bookmarks, the other occupant bob a Node @xmpp/client user.
// - Older history from the ROOM's archive: bob said 60 things in a burst (whole seconds in Prosody's
//   stamps, many in one second) before alice joined; her first catch-up brings the newest page, and
//   scrolling up pages back through the room's archive (XEP-0313 on the room JID, RSM before) to its
//   start: every message once, in the archive's order.
// - Private messages (XEP-0045 §7.5): bob's as Converse.js sends one (muc-private-messages.js
//   'sends out the correct stanza': no type, <body/>, <active/>, <request/>, <origin-id/>; Prosody's
//   MUC relays it from room/bob with <x xmlns=muc#user/>) lands in a conversation of its own, "bob
//   (room)", not in the room; from the people list alice answers (type chat to room/bob with
//   <x xmlns=muc#user/>, as Conversations sends them); bob's receipt marks it delivered; after a reload
//   the conversation is listed and holds both, and the room holds neither. In that conversation
//   typing shows both ways (chat states, XEP-0085, type chat to and from room/nick) and a file goes
//   as in a one-to-one chat (XEP-0363 upload through the worker, XEP-0066 OOB), to room/bob.
// - Same-second order across a catch-up: bob speaks live, alice's page goes, bob says two more at
//   once; the new tab gets them from the room's archive (or, when it resumes the stream, XEP-0198,
//   as redelivered stanzas with a whole-second <delay/>) and puts them after the live one, in order.
// - Corrections, reactions and retractions in the room both ways (the room's stanza-id names the
//   message for reactions and retractions, the origin id for corrections), kept after a reload.
// - Moderation (XEP-0425) with Prosody 0.12's mod_muc_moderation (version 0.2, urn:xmpp:message-moderate:0):
//   bob removes alice's message and alice, made a moderator, removes bob's from its menu; each shows
//   "Removed by a moderator: <reason>" live, an occupant's forged announcement changes nothing, and a
//   new device reads both back from the room's archive, where Prosody keeps its tombstones.
// - An invitation arriving while a room is open on a phone (360x640) is said over the room.
// - Bookmarks live (XEP-0402 PEP notifications, asked for with urn:xmpp:bookmarks:1+notify): a room
//   another device of alice's bookmarks to autojoin appears and is joined, and goes when retracted.
import { randomUUID } from "node:crypto";
import { xml } from "@xmpp/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { type ChatRig, readLog, startChatRig, startPeer, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";
import { peerJoinsRoom } from "./rooms-support";

const PASSWORD = { alice: "alice-pw-pm", bob: "bob-pw-pm" };
const NS_BOOKMARKS = "urn:xmpp:bookmarks:1";
const NS_CHATSTATES = "http://jabber.org/protocol/chatstates";
const NS_OOB = "jabber:x:oob";
const NS_FASTEN = "urn:xmpp:fasten:0";
const NS_MODERATE0 = "urn:xmpp:message-moderate:0";
const NS_RETRACT0 = "urn:xmpp:message-retract:0";
const SHOTS = process.env.PORTHOLE_SCREENSHOTS ?? "/tmp";
const OLD = 60;
const old = (n: number) => `old ${String(n).padStart(3, "0")}`;

describe("group chat PWA: room history and private messages against Prosody", () => {
  let rig: ChatRig;
  let page: Page;
  let room: string;

  /** A groupchat message as Converse.js builds it (createMessageStanza); resolves with its id. */
  const bobSays = async (body: string, ...extra: ReturnType<typeof xml>[]) => {
    const id = randomUUID();
    await rig.bob.xmpp.send(
      xml(
        "message",
        { to: room, type: "groupchat", id },
        xml("body", {}, body),
        xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
        ...extra,
        xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
      ),
    );
    return id;
  };
  /** The room's archive id (stanza-id by the room) of a message bob got back from the room. */
  const roomIdOf = async (body: string) => {
    const el = await rig.bob.waitFor(
      `the room's copy of "${body}"`,
      (e) => e.is("message") && e.attrs.type === "groupchat" && e.getChildText("body") === body,
    );
    return el.getChildren("stanza-id", "urn:xmpp:sid:0").find((c) => c.attrs.by === room)?.attrs.id as string;
  };
  const roomView = () => page.locator(`section.room[data-jid="${room}"]`);
  const bodies = async () => (await readLog(page)).map((r) => r.body);
  const scrollToStart = () =>
    expect
      .poll(
        async () => {
          await page.evaluate(() => {
            const log = document.querySelector('[role="log"]');
            if (log) log.scrollTop = 0;
          });
          return page.getByTestId("older").textContent();
        },
        { timeout: WAIT, interval: 250 },
      )
      .toBe("Start of the conversation");
  const openRoom = async () => {
    const deadline = Date.now() + WAIT;
    while (!(await roomView().isVisible())) {
      if (Date.now() > deadline) throw new Error("the room did not open");
      const row = page.locator(`button.room-row__open[data-jid="${room}"]`);
      if (await row.isVisible()) await row.click({ timeout: 2000 }).catch(() => {});
      else await page.waitForTimeout(100);
    }
    await page.getByRole("log", { name: "Messages" }).waitFor({ timeout: WAIT });
  };

  beforeAll(async () => {
    rig = await startChatRig(
      PASSWORD,
      WAIT,
      {
        muc: {
          conference: {
            muc_room_locking: "false",
            muc_room_default_persistent: "true",
            modules_enabled: '{ "muc_mam", "muc_moderation" }',
          },
        },
        modules: ["pep", "bookmarks"],
      },
      {},
      { sizeLimit: 1_000_000 },
    );
    room = `lobby@conference.${rig.prosody.domain}`;
    await peerJoinsRoom(rig.bob, room, "bob");
    for (let n = 1; n <= OLD; n++) await bobSays(old(n));
    // The room reflects each to bob: once the last is back, all are in the room's archive.
    await rig.bob.waitForBodies((b) => b.includes(old(OLD)), "the last old message");
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("scrolling up in the room pages back through the room's archive: every message once, in order", async () => {
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
    await page.getByLabel("Address", { exact: true }).fill(rig.alice);
    await page.getByLabel("Password").fill(PASSWORD.alice);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByTestId("connection").textContent(), { timeout: WAIT }).toContain("Online");
    await page.getByText("Join a room").click();
    await page.getByLabel("Room address").fill(room);
    await page.getByLabel("Nickname", { exact: true }).fill("alice");
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await openRoom();
    // The join's catch-up brings the newest page (50) only; the first ten come from paging back.
    await expect
      .poll(async () => Number(await roomView().locator("li.msg").first().getAttribute("aria-setsize")), { timeout: WAIT })
      .toBeGreaterThanOrEqual(50);
    await scrollToStart();
    expect(await bodies()).toEqual(Array.from({ length: OLD }, (_, i) => old(i + 1)));
  });

  it("a private message lands in its own conversation; answered from the people list; both survive a reload", async () => {
    // Converse.js's private message stanza (muc-private-messages.js), sent to alice's occupant JID.
    const pmId = randomUUID();
    await rig.bob.xmpp.send(
      xml(
        "message",
        { to: `${room}/alice`, id: pmId },
        xml("body", {}, "psst, alice"),
        xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
        xml("request", { xmlns: "urn:xmpp:receipts" }),
        xml("origin-id", { xmlns: "urn:xmpp:sid:0", id: pmId }),
      ),
    );
    await page.getByRole("button", { name: "Back to contacts" }).click();
    const listed = page.locator(`button.request__jid[data-jid="${room}/bob"]`);
    await expect.poll(() => listed.textContent(), { timeout: WAIT }).toBe(`bob (${room})`);
    await openRoom();
    expect(await bodies()).not.toContain("psst, alice");
    await page.getByRole("button", { name: "2 people" }).click();
    await page.getByRole("button", { name: "Private message to bob" }).click();
    const pm = page.getByRole("region", { name: `Chat with bob (${room})` });
    await pm.waitFor({ timeout: WAIT });
    await expect.poll(() => bodies(), { timeout: WAIT }).toEqual(["psst, alice"]);
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("hi bob, in private");
    await box.press("Enter");
    const got = await rig.bob.waitFor(
      "alice's private message",
      (el) => el.is("message") && el.getChildText("body") === "hi bob, in private",
    );
    expect(got.attrs.from).toBe(`${room}/alice`);
    expect(got.attrs.type).toBe("chat");
    await expect
      .poll(async () => (await readLog(page)).map((r) => `${r.direction}:${r.body}:${r.state}`), { timeout: WAIT })
      .toEqual(["in:psst, alice:delivered", "out:hi bob, in private:delivered"]);
    // Typing both ways: bob's chat state as Converse.js's sendChatState builds it
    // (src/headless/shared/actions.js: type chat, no-store, no-permanent-store), relayed from room/bob.
    const bobTyping = (state: string) =>
      rig.bob.xmpp.send(
        xml(
          "message",
          { to: `${room}/alice`, type: "chat", id: randomUUID() },
          xml(state, { xmlns: NS_CHATSTATES }),
          xml("no-store", { xmlns: "urn:xmpp:hints" }),
          xml("no-permanent-store", { xmlns: "urn:xmpp:hints" }),
        ),
      );
    await bobTyping("composing");
    await expect.poll(() => page.getByTestId("typing").textContent(), { timeout: WAIT }).toBe(`bob (${room}) is typing…`);
    await box.pressSequentially("hm");
    const composing = await rig.bob.waitFor(
      "alice's composing in private",
      (el) => el.attrs.from === `${room}/alice` && !!el.getChild("composing", NS_CHATSTATES),
    );
    expect(composing.attrs.type).toBe("chat");
    await box.fill("");
    // A file in private: uploaded (XEP-0363) and sent as body = URL + XEP-0066 OOB, type chat to room/bob.
    await page
      .getByTestId("attach-file")
      .setInputFiles({ name: "plan.txt", mimeType: "text/plain", buffer: Buffer.from("the plan") });
    const fileMsg = await rig.bob.waitFor("alice's private file", (el) => el.is("message") && !!el.getChild("x", NS_OOB));
    const url = fileMsg.getChild("x", NS_OOB)?.getChildText("url") ?? "";
    expect([fileMsg.attrs.from, fileMsg.attrs.type, fileMsg.getChildText("body")]).toEqual([`${room}/alice`, "chat", url]);
    expect(url).toMatch(new RegExp(`^${rig.worker.url}/upload/[^/]+/plan\\.txt$`));
    expect(await (await fetch(url)).text()).toBe("the plan");
    await bobTyping("paused");
    await expect.poll(() => page.getByTestId("typing").textContent(), { timeout: WAIT }).toBe("");
    await expect
      .poll(async () => (await readLog(page)).map((r) => `${r.direction}:${r.state}`), { timeout: WAIT })
      .toEqual(["in:delivered", "out:delivered", "out:delivered"]);
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-private`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-private-wide`);
    await page.setViewportSize({ width: 360, height: 640 });

    await page.reload();
    await expect.poll(() => page.getByTestId("connection").textContent(), { timeout: WAIT }).toContain("Online");
    const back = page.getByRole("button", { name: "Back to contacts" });
    if (await back.isVisible()) await back.click();
    await listed.click();
    await pm.waitFor({ timeout: WAIT });
    await expect.poll(async () => (await bodies()).slice(0, 2), { timeout: WAIT }).toEqual(["psst, alice", "hi bob, in private"]);
    expect(await pm.getByText("plan.txt").count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Back to contacts" }).click();
    await openRoom();
    const inRoom = await bodies();
    expect(inRoom).not.toContain("psst, alice");
    expect(inRoom).not.toContain("hi bob, in private");
    expect(bobPrivateCopies()).toBe(1);
  });

  it("what the room said in the same second after my newest message comes back after it, in order", async () => {
    await bobSays("live one");
    await expect.poll(async () => (await bodies()).at(-1), { timeout: WAIT }).toBe("live one");
    await page.close();
    await bobSays("after one");
    await bobSays("after two");
    await rig.bob.waitForBodies((b) => b.includes("after two"), "his own reflection");
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
    await openRoom();
    await expect
      .poll(async () => (await bodies()).slice(-3), { timeout: WAIT })
      .toEqual(["live one", "after one", "after two"])
      .catch(async (err) => {
        // What each shown message's id and time were (the device's copy keeps milliseconds, the archive's whole seconds).
        const rows = await page.$$eval("li.msg", (lis) =>
          lis
            .slice(-6)
            .map((li) => `${li.querySelector(".msg__body")?.textContent} ${li.dataset.id} ${li.querySelector("time")?.dateTime}`),
        );
        throw new Error(`${err}\n${rows.join("\n")}`);
      });
    const all = await bodies();
    expect(all.filter((b) => b === "after one")).toHaveLength(1);
    expect(rig.errors).toEqual([]);
  });

  it("an invitation arriving while the room is open on a phone is said over it, with a way to answer", async () => {
    await openRoom();
    // A direct invitation as Converse.js's MUC.directInvite builds it (src/headless/plugins/muc/muc.js:
    // <x xmlns='jabber:x:conference' jid reason/>).
    const third = `third@conference.${rig.prosody.domain}`;
    await rig.bob.xmpp.send(
      xml(
        "message",
        { to: rig.alice, id: randomUUID() },
        xml("x", { xmlns: "jabber:x:conference", jid: third, reason: "come over" }),
      ),
    );
    const notice = page.getByTestId("invitation-notice");
    await expect.poll(() => notice.textContent(), { timeout: WAIT }).toContain(`invites you to ${third}`);
    expect(await notice.isVisible()).toBe(true);
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-invitation-notice`);
    await page.setViewportSize({ width: 1280, height: 800 });
    // Wide: the invitation is in the list beside the room; the notice is not repeated over it.
    await expect.poll(() => notice.isVisible(), { timeout: WAIT }).toBe(false);
    expect(await page.locator(`li.invitation[data-room="${third}"]`).isVisible()).toBe(true);
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-invitation-wide`);
    await page.setViewportSize({ width: 360, height: 640 });
    await notice.getByRole("button", { name: "Answer" }).click();
    await page.locator(`li.invitation[data-room="${third}"]`).waitFor({ timeout: WAIT });
    await page.getByRole("button", { name: "Decline" }).click();
    await expect.poll(() => notice.count(), { timeout: WAIT }).toBe(0);
  });

  it("corrections, reactions and retractions in the room, both ways, by the room's ids; kept after a reload", async () => {
    await openRoom();
    const row = (id: string) => roomView().locator(`li.msg[data-id="${id}"]`);
    // bob's typo and his correction (Converse.js createMessageStanza with <replace id=msgid/>).
    const typo = await bobSays("teh plan");
    const typoId = await roomIdOf("teh plan");
    await bobSays("the plan", xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: typo }));
    await expect.poll(() => row(typoId).locator(".msg__body").textContent(), { timeout: WAIT }).toBe("the plan");
    expect(await row(typoId).textContent()).toContain("edited");
    // alice reacts to it from its menu: a groupchat reaction naming the room's id (XEP-0444 §3.1).
    await row(typoId).getByRole("button", { name: "Message options" }).click();
    await page.getByRole("button", { name: "React 👍" }).click();
    const reaction = await rig.bob.waitFor("alice's reaction", (e) => !!e.getChild("reactions", "urn:xmpp:reactions:0"));
    expect(reaction.attrs.type).toBe("groupchat");
    expect(reaction.getChild("reactions")?.attrs.id).toBe(typoId);
    // alice says something; bob reacts to it (the room's id, as a groupchat message with <store/>).
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("agreed");
    await box.press("Enter");
    const agreedId = await roomIdOf("agreed");
    await rig.bob.xmpp.send(
      xml(
        "message",
        { to: room, type: "groupchat", id: randomUUID() },
        xml("reactions", { xmlns: "urn:xmpp:reactions:0", id: agreedId }, xml("reaction", {}, "🎉")),
        xml("store", { xmlns: "urn:xmpp:hints" }),
      ),
    );
    const mine = roomView().locator("li.msg--out", { hasText: "agreed" });
    await expect.poll(() => mine.getByRole("button", { name: "🎉 1: bob" }).count(), { timeout: WAIT }).toBe(1);
    // alice deletes hers: a groupchat retraction naming the room's id (XEP-0424 §4.2).
    await mine.getByRole("button", { name: "Message options" }).click();
    await page.getByRole("button", { name: "Delete for everyone" }).click();
    const retraction = await rig.bob.waitFor(
      "alice's retraction",
      (e) => e.attrs.type === "groupchat" && !!e.getChild("retract", "urn:xmpp:message-retract:1"),
    );
    expect(retraction.getChild("retract")?.attrs.id).toBe(agreedId);
    await expect.poll(() => roomView().getByTestId("deleted").count(), { timeout: WAIT }).toBe(1);
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-rich`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-rich-wide`);
    await page.setViewportSize({ width: 360, height: 640 });
    // After a reload, from the device: the correction, the reactions and the deletion stay.
    await page.reload();
    await openRoom();
    await expect.poll(() => row(typoId).locator(".msg__body").textContent(), { timeout: WAIT }).toBe("the plan");
    expect(await row(typoId).getByRole("button", { name: /^👍 1/ }).getAttribute("aria-pressed")).toBe("true");
    expect(await roomView().getByTestId("deleted").count()).toBe(1);
    expect(await bodies()).not.toContain("teh plan");
  });

  it("a room bookmarked on another device of mine is joined live, and left when that device retracts it", async () => {
    // alice's phone: publishes and retracts as XEP-0402 §3.3 / §3.5 show (and as this PWA does).
    const phone = await startPeer(rig.prosody.wsUrl, rig.prosody.domain, "alice", PASSWORD.alice, "phone");
    try {
      const second = `second@conference.${rig.prosody.domain}`;
      const pubsub = (child: ReturnType<typeof xml>) =>
        phone.xmpp.iqCaller.request(
          xml("iq", { type: "set", id: randomUUID() }, xml("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" }, child)),
        );
      await pubsub(
        xml(
          "publish",
          { node: NS_BOOKMARKS },
          xml(
            "item",
            { id: second },
            xml("conference", { xmlns: NS_BOOKMARKS, name: "Second room", autojoin: "true" }, xml("nick", {}, "alice")),
          ),
        ),
      );
      const row = page.locator(`button.room-row__open[data-jid="${second}"]`);
      const back = page.getByRole("button", { name: "Back to contacts" });
      if (await back.isVisible()) await back.click();
      await expect.poll(() => row.textContent(), { timeout: WAIT }).toBe("#Second room");
      await pubsub(xml("retract", { node: NS_BOOKMARKS, notify: "true" }, xml("item", { id: second })));
      await expect.poll(() => row.count(), { timeout: WAIT }).toBe(0);
      expect(rig.errors).toEqual([]);
    } finally {
      await phone.xmpp.stop().catch(() => {});
    }
  });

  it("moderation (XEP-0425, Prosody 0.12's mod_muc_moderation): removed live both ways, only by the room; read back removed on a new device", async () => {
    await openRoom();
    const box = page.getByRole("textbox", { name: "Message" });
    const moderated = () => roomView().getByTestId("moderated").allTextContents();
    // bob (the room's owner: a moderator) removes alice's message with the request Prosody 0.12's
    // module reads (mod_muc_moderation.lua, iq-set/bare/urn:xmpp:fasten:0:apply-to; Converse.js
    // sent the same before XEP-0425 0.3): the room's announcement reaches alice's page.
    await box.fill("off-topic rant");
    await box.press("Enter");
    const rantId = await roomIdOf("off-topic rant");
    await rig.bob.xmpp.iqCaller.request(
      xml(
        "iq",
        { type: "set", to: room },
        xml(
          "apply-to",
          { xmlns: NS_FASTEN, id: rantId },
          xml("moderate", { xmlns: NS_MODERATE0 }, xml("retract", { xmlns: NS_RETRACT0 }), xml("reason", {}, "off topic")),
        ),
      ),
    );
    await expect.poll(moderated, { timeout: WAIT }).toEqual(["Removed by a moderator: off topic"]);
    // An occupant's copy of an announcement (bob's groupchat message, relayed from room/bob) is
    // nobody's word: alice's "stay" stays.
    await box.fill("stay");
    await box.press("Enter");
    const stayId = await roomIdOf("stay");
    await bobSays(
      "",
      xml(
        "retract",
        { xmlns: "urn:xmpp:message-retract:1", id: stayId },
        xml("moderated", { xmlns: "urn:xmpp:message-moderate:1", by: `${room}/bob` }),
        xml("reason", {}, "forged"),
      ),
    );
    // alice made a moderator (XEP-0045 §8.6); she removes bob's spam from its menu, with a reason.
    await rig.bob.xmpp.iqCaller.request(
      xml(
        "iq",
        { type: "set", to: room },
        xml("query", { xmlns: "http://jabber.org/protocol/muc#admin" }, xml("item", { nick: "alice", role: "moderator" })),
      ),
    );
    await bobSays("buy cheap pills");
    const spamId = await roomIdOf("buy cheap pills");
    const spam = roomView().locator(`li.msg[data-id="${spamId}"]`);
    await spam.waitFor({ timeout: WAIT });
    await expect
      .poll(
        async () => {
          await spam.getByRole("button", { name: "Message options" }).click();
          const item = page.getByRole("button", { name: "Remove as moderator…" });
          if (await item.isVisible()) return true;
          await page.keyboard.press("Escape");
          return false;
        },
        { timeout: WAIT, interval: 200 },
      )
      .toBe(true);
    await page.getByRole("button", { name: "Remove as moderator…" }).click();
    await page.getByLabel("Reason for removing (optional)").fill("spam");
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-moderate-menu`);
    await page.getByRole("button", { name: "Remove", exact: true }).click();
    const announced = await rig.bob.waitFor(
      "the room's announcement",
      (e) => e.attrs.from === room && e.getChild("apply-to", NS_FASTEN)?.attrs.id === spamId,
    );
    expect(announced.getChild("apply-to")?.getChild("moderated", NS_MODERATE0)?.getChildText("reason")).toBe("spam");
    await expect
      .poll(moderated, { timeout: WAIT })
      .toEqual(["Removed by a moderator: off topic", "Removed by a moderator: spam"]);
    expect(await bodies()).toContain("stay");
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-moderated`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await shootBothSchemes(page, `${SHOTS}/pwa-rooms-moderated-wide`);
    await page.setViewportSize({ width: 360, height: 640 });
    // A new device reads the room's archive: Prosody replaced both messages with its tombstone.
    const fresh = await launchBrowser();
    try {
      const other = await fresh.newPage();
      await other.setViewportSize({ width: 360, height: 640 });
      await other.goto(`${rig.worker.url}/`);
      await other.getByLabel("Address", { exact: true }).fill(rig.alice);
      await other.getByLabel("Password").fill(PASSWORD.alice);
      await other.getByRole("button", { name: "Log in" }).click();
      await other.locator(`button.room-row__open[data-jid="${room}"]`).click({ timeout: WAIT });
      const view = other.locator(`section.room[data-jid="${room}"]`);
      await expect
        .poll(() => view.getByTestId("moderated").allTextContents(), { timeout: WAIT })
        .toEqual(["Removed by a moderator: off topic", "Removed by a moderator: spam"]);
      const texts = await view.locator("li.msg .msg__body").allTextContents();
      expect(texts).not.toContain("buy cheap pills");
      expect(texts).not.toContain("off-topic rant");
    } finally {
      await fresh.close();
    }
    expect(rig.errors).toEqual([]);
  });

  /** Private messages bob received from alice (every copy). */
  const bobPrivateCopies = () =>
    rig.bob.received.filter((el) => el.is("message") && el.getChildText("body") === "hi bob, in private").length;
});
