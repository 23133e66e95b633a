// Rich messages end to end: real Chromium → wrangler dev → real Prosody 0.12 (carbons, mam), bob a Node
// @xmpp/client sending stanzas built exactly as the major clients build them:
// - Conversations 2.12 src/main/java/eu/siacs/conversations/generator/MessageGenerator.java: a chat
//   message with <markable/> and origin-id = id, an edit with <replace id/> (XEP-0308), and
//   confirm(): <displayed id/> + <store/> (XEP-0333);
// - Converse.js src/headless/shared/model-with-messages.js createMessageStanza/addReplyFallback
//   (XEP-0461 <reply/> with the "> " quote and its <fallback> range in code points), shared/actions.js
//   sendRetractionMessage (XEP-0424 retract:1, "/me retracted a message" fallback body), its 2019
//   version (commit b4dafcc4: the XEP-0422 <apply-to><retract xmlns=…retract:0/></apply-to> form) and
//   src/plugins/reactions-views/utils.js (XEP-0444 <reactions id><reaction/></reactions> + <store/>).
// Both directions: what alice does in the page reaches bob in those forms. Then a reload, and a new
// device (logged out with its history cleared) catching up from Prosody's archive, show the same chat.
import { type Element, xml } from "@xmpp/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotViews } from "../support/browser";
import { type ChatRig, chatView, loginAndBefriendBob, startChatRig, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";

const PASSWORD = { alice: "alice-pw-rich", bob: "bob-pw-rich" };
const NS_MARKERS = "urn:xmpp:chat-markers:0";

describe("chat PWA: corrections, retractions, replies, reactions, markers, /me", () => {
  let rig: ChatRig;
  let page: Page;
  let n = 0;
  const id = (what: string) => `${what}-${++n}`;

  /** Conversations' chat message (MessageGenerator.preparePacket). */
  const conversations = (mid: string, body: string, ...extra: Element[]) =>
    xml(
      "message",
      { to: rig.alice, type: "chat", id: mid },
      xml("body", {}, body),
      xml("request", { xmlns: "urn:xmpp:receipts" }),
      xml("markable", { xmlns: NS_MARKERS }),
      xml("origin-id", { xmlns: "urn:xmpp:sid:0", id: mid }),
      ...extra,
    );
  const bobSends = (el: Element) => rig.bob.xmpp.send(el);
  const row = (mid: string) => page.locator(`li.msg[data-id="${mid}"]`);
  const body = (mid: string) => row(mid).locator(".msg__body");
  /** The newest message alice sent, as bob received it. */
  const aliceSent = async (text: string) =>
    rig.bob.waitFor(`"${text}"`, (el) => el.is("message") && el.getChildText("body")?.endsWith(text) === true);
  const view = () =>
    chatView(
      () => page,
      () => rig.bobJid,
    );

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("shows what Conversations and Converse.js send, and sends them what they read", async () => {
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    await view().openBobChat();

    // A correction replaces the typo in place ("edited"), no second row; the displayed marker goes
    // for the message on screen (it asked for one), and alice's own message asks for markers too.
    await bobSends(conversations("typo", "helo wrold"));
    await bobSends(conversations(id("fix"), "hello world", xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: "typo" })));
    await expect.poll(() => body("typo").textContent(), { timeout: WAIT }).toBe("hello world");
    await expect.poll(() => row("typo").locator(".msg__edited").count()).toBe(1);
    await rig.bob.waitFor("a displayed marker", (el) => el.getChild("displayed", NS_MARKERS)?.attrs.id === "typo");
    await view().send("party at 8?");
    const party = await aliceSent("party at 8?");
    expect(party.getChild("markable", NS_MARKERS)).toBeTruthy();
    const partyId = party.attrs.id as string;

    // bob "correcting" alice's message is not a correction: her text stays, nothing new is shown.
    await bobSends(
      conversations(id("forged"), "party at 10", xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: partyId })),
    );
    // Conversations' displayed marker: alice's message is Read (after Delivered).
    await bobSends(
      xml(
        "message",
        { to: rig.alice, type: "chat", id: id("d") },
        xml("displayed", { xmlns: NS_MARKERS, id: partyId }),
        xml("store", { xmlns: "urn:xmpp:hints" }),
      ),
    );
    await expect.poll(() => row(partyId).getAttribute("data-state"), { timeout: WAIT }).toBe("read");
    expect(await row(partyId).locator(".msg__state").textContent()).toContain("Read");
    expect(await body(partyId).textContent()).toBe("party at 8?");

    // Converse.js reply: the quote shows, the fallback text does not; a tap goes to the original.
    const quote = "> alice:\n> party at 8?\n";
    await bobSends(
      xml(
        "message",
        { to: rig.alice, type: "chat", id: "reply1" },
        xml("body", {}, `${quote}count me in`),
        xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
        xml("request", { xmlns: "urn:xmpp:receipts" }),
        xml("reply", { xmlns: "urn:xmpp:reply:0", id: partyId, to: `${rig.alice}/web` }),
        xml(
          "fallback",
          { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:reply:0" },
          xml("body", { start: "0", end: String([...quote].length) }),
        ),
        xml("origin-id", { xmlns: "urn:xmpp:sid:0", id: "reply1" }),
      ),
    );
    await expect.poll(() => body("reply1").textContent(), { timeout: WAIT }).toBe("count me in");
    expect(await row("reply1").getByTestId("quote").textContent()).toContain("party at 8?");
    await row("reply1").getByTestId("quote").click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest("li.msg")?.getAttribute("data-id")))
      .toBe(partyId);

    // Converse.js reactions on alice's message; alice reacts to bob's from the message menu.
    await bobSends(
      xml(
        "message",
        { to: rig.alice, type: "chat", id: id("reaction") },
        xml("reactions", { xmlns: "urn:xmpp:reactions:0", id: partyId }, xml("reaction", {}, "👍"), xml("reaction", {}, "🎉")),
        xml("store", { xmlns: "urn:xmpp:hints" }),
      ),
    );
    await expect.poll(() => row(partyId).locator(".reaction").allTextContents(), { timeout: WAIT }).toEqual(["👍 1", "🎉 1"]);
    await row("typo").getByRole("button", { name: "Message options" }).click();
    await page.getByRole("button", { name: "React 😂" }).click();
    const mine = await rig.bob.waitFor("alice's reaction", (el) => !!el.getChild("reactions", "urn:xmpp:reactions:0"));
    expect(mine.getChild("reactions")?.attrs.id).toBe("typo");
    expect(
      mine
        .getChild("reactions")
        ?.getChildren("reaction")
        .map((r) => r.text()),
    ).toEqual(["😂"]);
    expect(await row("typo").getByRole("button", { name: /^😂 1/ }).getAttribute("aria-pressed")).toBe("true");

    // Retractions in both forms (Converse.js now, and in 2019), and a /me action.
    await bobSends(conversations("gone1", "oops"));
    await bobSends(conversations("gone2", "oops again"));
    await bobSends(conversations("me1", "/me waves"));
    await expect.poll(() => body("me1").textContent(), { timeout: WAIT }).toMatch(/^\* .+ waves$/);
    await bobSends(
      xml(
        "message",
        { to: rig.alice, type: "chat", id: id("retract") },
        xml("retract", { xmlns: "urn:xmpp:message-retract:1", id: "gone1" }),
        xml("body", {}, "/me retracted a message"),
        xml("store", { xmlns: "urn:xmpp:hints" }),
        xml("fallback", { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:message-retract:1" }),
      ),
    );
    await bobSends(
      xml(
        "message",
        { to: rig.alice, type: "chat", id: id("retract") },
        xml("store", { xmlns: "urn:xmpp:hints" }),
        xml("apply-to", { xmlns: "urn:xmpp:fasten:0", id: "gone2" }, xml("retract", { xmlns: "urn:xmpp:message-retract:0" })),
      ),
    );
    await expect.poll(() => page.getByTestId("deleted").count(), { timeout: WAIT }).toBe(2);

    // Alice: a reply from the menu, an edit with the Up arrow, a retraction from the menu.
    await row("me1").getByRole("button", { name: "Message options" }).click();
    await page.getByRole("button", { name: "Reply", exact: true }).click();
    await view().send("hi bob");
    const reply = await aliceSent("hi bob");
    expect(reply.getChild("reply", "urn:xmpp:reply:0")?.attrs.id).toBe("me1");
    expect(reply.getChildText("body")).toBe("> /me waves\nhi bob");
    expect(reply.getChild("fallback", "urn:xmpp:fallback:0")?.getChild("body")?.attrs).toMatchObject({ start: "0", end: "12" });
    await view().send("see you tomorow");
    const typo = (await aliceSent("see you tomorow")).attrs.id as string;
    const box = page.getByRole("textbox", { name: "Message" });
    await box.press("ArrowUp");
    await expect.poll(() => box.inputValue()).toBe("see you tomorow");
    await box.fill("see you tomorrow");
    await box.press("Enter");
    const fix = await rig.bob.waitFor("alice's correction", (el) => !!el.getChild("replace", "urn:xmpp:message-correct:0"));
    expect(fix.getChild("replace")?.attrs.id).toBe(typo);
    expect(fix.getChildText("body")).toBe("see you tomorrow");
    await expect.poll(() => body(typo).textContent()).toBe("see you tomorrow");
    await view().send("wrong chat");
    const wrong = (await aliceSent("wrong chat")).attrs.id as string;
    await row(wrong).getByRole("button", { name: "Message options" }).click();
    await page.getByRole("button", { name: "Delete for everyone" }).click();
    const retraction = await rig.bob.waitFor(
      "alice's retraction",
      (el) => !!el.getChild("retract", "urn:xmpp:message-retract:1"),
    );
    expect(retraction.getChild("retract")?.attrs.id).toBe(wrong);
    expect(retraction.getChild("apply-to", "urn:xmpp:fasten:0")?.attrs.id).toBe(wrong);
    await expect.poll(() => page.getByTestId("deleted").count()).toBe(3);

    // A marker only for what was really seen: not while the chat is closed, then once it is open.
    await box.press("Escape");
    await expect.poll(() => page.locator("section.chat").count()).toBe(0);
    await bobSends(conversations("unseen", "are you there?"));
    await expect.poll(() => page.getByTestId("total-unread").textContent(), { timeout: WAIT }).toContain("1");
    expect(rig.bob.received.some((el) => el.getChild("displayed", NS_MARKERS)?.attrs.id === "unseen")).toBe(false);
    await view().openBobChat();
    await rig.bob.waitFor("the marker once seen", (el) => el.getChild("displayed", NS_MARKERS)?.attrs.id === "unseen");

    await screenshotViews(page, "chat-rich");
    await shootBothSchemes(page, `${process.env.PORTHOLE_SCREENSHOTS ?? "/tmp"}/chat-rich-360`);
    await row(partyId).getByRole("button", { name: "Message options" }).click();
    await shootBothSchemes(page, `${process.env.PORTHOLE_SCREENSHOTS ?? "/tmp"}/chat-rich-menu-360`);
    await page.keyboard.press("Escape");

    // The same chat after a reload (the device history), and on a new device (the archive).
    const expected = async () => {
      await expect.poll(() => body("typo").textContent(), { timeout: WAIT }).toBe("hello world");
      expect(await row("typo").locator(".msg__edited").count()).toBe(1);
      expect(await body(partyId).textContent()).toBe("party at 8?");
      expect(await row(partyId).locator(".reaction").allTextContents()).toEqual(["👍 1", "🎉 1"]);
      expect(await row("typo").locator(".reaction").allTextContents()).toEqual(["😂 1"]);
      expect(await row(partyId).getAttribute("data-state")).toBe("read");
      expect(await body("reply1").textContent()).toBe("count me in");
      expect(await body(typo).textContent()).toBe("see you tomorrow");
      expect(await page.getByTestId("deleted").count()).toBe(3);
      expect(await body("me1").textContent()).toMatch(/^\* .+ waves$/);
      expect(await page.locator("li.msg").count()).toBe(10);
    };
    await page.reload();
    await view().openBobChat();
    await expected();

    // A new device (history cleared) reads the newest archive page first: 50 more messages and a second
    // correction of bob's first message put that correction in it and the message itself on an older
    // page, fetched by scrolling up. Found after its correction, the message still shows corrected.
    for (let k = 1; k <= 50; k++)
      await bobSends(xml("message", { to: rig.alice, type: "chat", id: `filler-${k}` }, xml("body", {}, `filler ${k}`)));
    await bobSends(conversations(id("fix"), "hello again", xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: "typo" })));
    await expect.poll(() => body("filler-50").textContent(), { timeout: WAIT }).toBe("filler 50");
    await view().logout(true);
    await page.getByLabel("Password").fill(PASSWORD.alice);
    await page.getByRole("button", { name: "Log in" }).click();
    await view().openBobChat();
    await expect.poll(() => body("filler-50").textContent(), { timeout: WAIT }).toBe("filler 50");
    expect(await row("typo").count()).toBe(0);
    await expect
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
    await expect.poll(() => body("typo").textContent(), { timeout: WAIT }).toBe("hello again");
    expect(await row("typo").locator(".msg__edited").count()).toBe(1);
    expect(await body(partyId).textContent()).toBe("party at 8?");
    expect(await row(partyId).locator(".reaction").allTextContents()).toEqual(["👍 1", "🎉 1"]);
    expect(await row("typo").locator(".reaction").allTextContents()).toEqual(["😂 1"]);
    expect(await row(partyId).getAttribute("data-state")).toBe("read");
    expect(await body("reply1").textContent()).toBe("count me in");
    expect(await body(typo).textContent()).toBe("see you tomorrow");
    expect(await page.getByTestId("deleted").count()).toBe(3);
    expect(await body("me1").textContent()).toMatch(/^\* .+ waves$/);
    expect(rig.errors).toEqual([]);
  });
});
