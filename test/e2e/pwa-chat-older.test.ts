// Older history on a new device, end to end: real Chromium → wrangler dev → real Prosody (mam). bob
// wrote 130 messages to alice's phone (a Node client; so Prosody delivered them there, none waits as an
// offline message) before she ever logged in on this browser; her first login here fills the device
// with the newest archive page only, and scrolling up in bob's chat pages back through Prosody's
// archive (XEP-0313 `with` + RSM `before`) until "Start of the conversation": every message once, in order.
import { xml } from "@xmpp/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotViews } from "../support/browser";
import { type ChatRig, chatView, loginAndBefriendBob, readLog, startChatRig, startPeer, WAIT } from "./chat-support";

const PASSWORD = { alice: "alice-pw-older", bob: "bob-pw-older" };
const COUNT = 130;
const body = (n: number) => `older ${String(n).padStart(3, "0")}`;

describe("chat PWA: older history from the server archive", () => {
  let rig: ChatRig;
  let page: Page;

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD);
    const phone = await startPeer(rig.prosody.wsUrl, rig.prosody.domain, "alice", PASSWORD.alice, "phone");
    for (let n = 1; n <= COUNT; n++) {
      await rig.bob.xmpp.send(xml("message", { to: rig.alice, type: "chat", id: `old-${n}` }, xml("body", {}, body(n))));
    }
    await phone.waitForBodies((b) => b.length === COUNT, `${COUNT} messages on alice's phone`);
    await phone.xmpp.stop();
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("scrolling up pages back until the archive's start, every message once and in order", async () => {
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    const view = chatView(
      () => page,
      () => rig.bobJid,
    );
    await view.openBobChat();
    // A new device holds the newest page only (read without scrolling: reaching the top loads more).
    const newest = page.locator("li.msg").last();
    await expect.poll(() => newest.locator(".msg__body").textContent(), { timeout: WAIT }).toBe(body(COUNT));
    expect(Number(await newest.getAttribute("aria-setsize"))).toBeLessThan(COUNT);
    const older = page.getByTestId("older");
    await expect
      .poll(
        async () => {
          await page.evaluate(() => {
            const log = document.querySelector('[role="log"]');
            if (log) log.scrollTop = 0;
          });
          return older.textContent();
        },
        { timeout: WAIT, interval: 250 },
      )
      .toBe("Start of the conversation");
    await screenshotViews(page, "older-start", async () => {
      await page.evaluate(() => {
        const log = document.querySelector('[role="log"]');
        if (log) log.scrollTop = 0;
      });
    });
    const all = (await readLog(page)).map((r) => r.body);
    expect(all).toEqual(Array.from({ length: COUNT }, (_, i) => body(i + 1)));
    // Read, not new: paging back counted nothing unread.
    await view.send("thanks");
    await expect.poll(view.outStates, { timeout: WAIT }).toEqual(["thanks:delivered"]);
    expect(rig.errors).toEqual([]);
  });
});
