// Drafts and the composer, end to end: real Chromium → wrangler dev → real Prosody, bob as a Node
// @xmpp/client. What is typed and not sent survives leaving the chat and a reload (which also comes back
// to the open chat, as the update banner's Reload does); with "Enter sends" off (touch screens), Enter is
// a newline and the Send button sends; the update banner never covers the message box or Send.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatRig, chatView, loginAndBefriendBob, startChatRig, WAIT } from "./chat-support";

const PASSWORD = { alice: "alice-pw-draft", bob: "bob-pw-draft" };

describe("chat PWA: drafts and the composer", () => {
  let rig: ChatRig;
  let page: Page;
  const view = chatView(
    () => page,
    () => rig.bobJid,
  );
  const box = () => page.getByRole("textbox", { name: "Message" });

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("keeps a draft when leaving the chat and coming back", async () => {
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    await view.openBobChat();
    await box().fill("half a thought");
    await page.getByRole("button", { name: "Back to contacts" }).click();
    await view.openBobChat();
    await expect.poll(() => box().inputValue(), { timeout: WAIT }).toBe("half a thought");
    expect(rig.bob.bodies()).toEqual([]);
  });

  it("a reload comes back to the open chat with its draft", async () => {
    await box().fill("typed before the update");
    await page.reload();
    await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(() => box().inputValue(), { timeout: WAIT }).toBe("typed before the update");
    await expect.poll(() => page.getByRole("region", { name: /Chat with/ }).count(), { timeout: WAIT }).toBe(1);
  });

  it("sending clears the draft for good", async () => {
    await box().press("End");
    await box().press("Enter");
    await rig.bob.waitForBodies((b) => b.includes("typed before the update"), "the sent draft");
    await page.reload();
    await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(() => box().inputValue(), { timeout: WAIT }).toBe("");
  });

  it("with Enter sends off, Enter is a newline and the Send button sends", async () => {
    await page.evaluate(() => localStorage.setItem("porthole.enterSends", "0"));
    await page.reload();
    await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).toContain("Online");
    await box().click();
    await box().pressSequentially("first line");
    await box().press("Enter");
    await box().pressSequentially("second line");
    expect(await box().inputValue()).toBe("first line\nsecond line");
    // The box grew to show both lines.
    const height = await box().evaluate((el) => el.getBoundingClientRect().height);
    await page.getByRole("button", { name: "Send" }).click();
    await rig.bob.waitForBodies((b) => b.includes("first line\nsecond line"), "the two-line message");
    expect(height).toBeGreaterThan(await box().evaluate((el) => el.getBoundingClientRect().height));
    await expect.poll(view.outStates, { timeout: WAIT }).toContain("first line\nsecond line:delivered");
    const shot = process.env.PORTHOLE_SCREENSHOTS;
    if (shot)
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: `${shot}/composer-360-${scheme}.png` });
      }
    await page.emulateMedia({ colorScheme: "light" });
    await page.evaluate(() => localStorage.removeItem("porthole.enterSends"));
  });

  it("the update banner never covers the message box or the Send button", async () => {
    await page.evaluate(() => {
      // The banner as pwa/update-banner.tsx renders it, with its <html> class.
      const el = document.createElement("div");
      el.className = "pwa-update";
      el.innerHTML =
        '<span class="pwa-update__text">Update available</span><button class="pwa-update__reload">Reload</button><button class="pwa-update__later">Later</button>';
      document.body.appendChild(el);
      document.documentElement.classList.add("pwa-update-shown");
    });
    for (const [width, height] of [
      [360, 640],
      [1280, 800],
    ] as const) {
      await page.setViewportSize({ width, height });
      const overlap = await page.evaluate(() => {
        const banner = (document.querySelector(".pwa-update") as HTMLElement).getBoundingClientRect();
        const hit = (el: Element | null) => {
          const r = (el as HTMLElement).getBoundingClientRect();
          return r.bottom > banner.top && r.top < banner.bottom && r.right > banner.left && r.left < banner.right;
        };
        return { box: hit(document.querySelector(".composer textarea")), send: hit(document.querySelector(".composer button")) };
      });
      expect(overlap, `${width}x${height}`).toEqual({ box: false, send: false });
    }
    expect(rig.errors).toEqual([]);
  });
});
