// Delayed delivery (XEP-0203) in the rendered log, end to end: real Chromium → wrangler dev → real
// Prosody, bob as a Node @xmpp/client. A message bob's client stamps three days ago arrives after
// today's: Chromium files it above today's message and shows its date, today's only its time.
import { xml } from "@xmpp/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatRig, chatView, loginAndBefriendBob, startChatRig, WAIT } from "./chat-support";

const PASSWORD = { alice: "alice-pw-d", bob: "bob-pw-d" };
const DAY = 86_400_000;

describe("chat PWA: delayed messages", () => {
  let rig: ChatRig;
  let page: Page;
  const { shown, openBobChat } = chatView(
    () => page,
    () => rig.bobJid,
  );

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("logs in, befriends bob and opens the chat with him", async () => {
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    await openBobChat();
  });

  it("files a message stamped three days ago by its stamp and shows its date", async () => {
    const { bob, alice } = rig;
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "now1" }, xml("body", {}, "written today")));
    await expect.poll(shown, { timeout: WAIT }).toEqual(["written today"]);
    const stamp = new Date(Date.now() - 3 * DAY);
    await bob.xmpp.send(
      xml(
        "message",
        { to: alice, type: "chat", id: "old1" },
        xml("body", {}, "written three days ago"),
        xml("delay", { xmlns: "urn:xmpp:delay", from: rig.prosody.domain, stamp: stamp.toISOString() }),
      ),
    );
    await expect.poll(shown, { timeout: WAIT }).toEqual(["written three days ago", "written today"]);
    const times = await page
      .locator("li.msg time")
      .evaluateAll((els) => els.map((el) => ({ text: el.textContent ?? "", iso: el.getAttribute("datetime") ?? "" })));
    // What the page's own locale writes for that day and for a bare time (Chromium's, not Node's).
    const expected = await page.evaluate(
      (t) => ({
        day: new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" }).format(t),
        clock: new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }).format(t),
      }),
      stamp.getTime(),
    );
    expect(times[0]?.iso.slice(0, 16)).toBe(stamp.toISOString().slice(0, 16));
    expect(times[0]?.text).toContain(expected.day);
    expect(times[0]?.text).toContain(expected.clock);
    expect(times[1]?.text).toMatch(/^\d{1,2}\D\d{2}(\s?[AP]M)?$/);
    expect(rig.errors).toEqual([]);
  });
});
