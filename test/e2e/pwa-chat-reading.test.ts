// Reading a chat as in any messenger, end to end: real Chromium → wrangler dev → real Prosody, bob as a
// Node @xmpp/client. Day separators ("Today", an older day's date) and groups (one time per same-minute
// run); a chat opened with 40 unread messages opens at a "40 new messages" divider, not at the end, with
// a "jump to newest" button that counts what arrives meanwhile; screen readers hear who wrote each one.
import { xml } from "@xmpp/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotViews } from "../support/browser";
import { type ChatRig, chatView, loginAndBefriendBob, startChatRig, WAIT } from "./chat-support";

const PASSWORD = { alice: "alice-pw-read", bob: "bob-pw-read" };
const DAY = 86_400_000;

describe("chat PWA: days, groups, the unread divider", () => {
  let rig: ChatRig;
  let page: Page;
  const view = chatView(
    () => page,
    () => rig.bobJid,
  );
  const say = (id: string, body: string, stamp?: Date) =>
    rig.bob.xmpp.send(
      xml(
        "message",
        { to: rig.alice, type: "chat", id },
        xml("body", {}, body),
        stamp ? xml("delay", { xmlns: "urn:xmpp:delay", from: rig.prosody.domain, stamp: stamp.toISOString() }) : null,
      ),
    );

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("logs in and befriends bob", async () => {
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
  });

  it("opens a chat with 40 unread at the divider, and jumps to the newest", async () => {
    await say("old", "from last week", new Date(Date.now() - 5 * DAY));
    for (let n = 1; n <= 40; n++) await say(`u${n}`, `unread ${n}`);
    await expect.poll(() => page.getByTestId("total-unread").textContent(), { timeout: WAIT }).toContain("41");
    await view.openBobChat();
    const divider = page.getByTestId("new-divider");
    await expect.poll(() => divider.textContent(), { timeout: WAIT }).toBe("41 new messages");
    // The divider is in view, near the top of the log; the newest message is not.
    const place = await page.evaluate(() => {
      const log = document.querySelector('[role="log"]') as HTMLElement;
      const d = document.querySelector('[data-testid="new-divider"]') as HTMLElement;
      const box = log.getBoundingClientRect();
      const r = d.getBoundingClientRect();
      return { fromTop: r.top - box.top, atBottom: log.scrollHeight - log.scrollTop - log.clientHeight < 8 };
    });
    expect(place.fromTop).toBeGreaterThanOrEqual(0);
    expect(place.fromTop).toBeLessThan(120);
    expect(place.atBottom).toBe(false);
    await screenshotViews(page, "reading");
    const jump = page.locator(".messages__jump");
    await expect.poll(() => jump.textContent(), { timeout: WAIT }).toContain("41 new");
    await say("late", "while you read");
    await expect.poll(() => jump.textContent(), { timeout: WAIT }).toContain("42 new");
    await jump.click();
    await expect.poll(() => page.locator("li.msg .msg__body").last().textContent(), { timeout: WAIT }).toBe("while you read");
    await expect.poll(() => jump.count(), { timeout: WAIT }).toBe(0);
  });

  it("separates days and says a same-minute run's time once", async () => {
    const lastWeek = await page.evaluate(
      (t) => new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" }).format(t),
      Date.now() - 5 * DAY,
    );
    // The windowed log renders the rows near the viewport: scroll to the top to see the first day.
    await page.evaluate(() => {
      const log = document.querySelector('[role="log"]');
      if (log) log.scrollTop = 0;
    });
    await expect.poll(() => page.locator(".msg__day").allTextContents(), { timeout: WAIT }).toEqual([lastWeek, "Today"]);
    // Bob's 40 messages came within a minute or two: most rows continue a group, with a hidden time.
    const grouped = await page.locator("li.msg--cont").count();
    expect(grouped).toBeGreaterThan(5);
    const visibleTimes = await page
      .locator("li.msg time")
      .evaluateAll((els) => els.filter((el) => (el as HTMLElement).getBoundingClientRect().width > 1).length);
    expect(visibleTimes).toBeLessThan(await page.locator("li.msg time").count());
  });

  it("tells screen readers who wrote each message", async () => {
    await view.send("my reply");
    await expect.poll(view.outStates, { timeout: WAIT }).toContain("my reply:delivered");
    const last = page.locator("li.msg").last();
    expect(await last.textContent()).toMatch(/^You: my reply/);
    const bobs = page.locator("li.msg--in").last();
    expect(await bobs.textContent()).toContain(`${rig.bobJid}: `);
    expect(rig.errors).toEqual([]);
  });
});
