// The settings view, reached from the app bar's menu, in real Chromium against real Prosody through
// wrangler dev, at 360x640 and 1280x800: "Enter sends the message" stored as porthole.enterSends
// (default by primary pointer), the notification permission in words, clearing this device's history
// (confirmed; it logs out), and the build label. Contrast (WCAG AA) in light and dark; screenshots in
// /tmp/shots-layout/.
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatRig, chatView, deviceMessageCount, loginAndBefriendBob, startChatRig, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";

const PASSWORD = { alice: "alice-pw-s1", bob: "bob-pw-s2" };
const SHOTS = "/tmp/shots-layout";

describe("settings view against Prosody", () => {
  let rig: ChatRig;
  let page: Page;
  const view = chatView(
    () => page,
    () => rig.bobJid,
  );
  const settings = () => page.getByRole("region", { name: "Settings" });
  const openSettings = async () => {
    await view.openMenu();
    await page.getByRole("button", { name: "Settings" }).click();
    await settings().waitFor({ timeout: WAIT });
  };
  const shoot = (name: string) => shootBothSchemes(page, `${SHOTS}/${name}`);
  const stored = () => page.evaluate(() => localStorage.getItem("porthole.enterSends"));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rig = await startChatRig(PASSWORD, WAIT);
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("opens from the menu in place of the contacts on a phone, its heading focused", async () => {
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    await openSettings();
    expect(await page.locator(".roster").isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("settings-title");
    expect(await page.getByRole("button", { name: "Menu", exact: true }).getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shoot("settings-360");
  });

  it("Enter sends: on by default for this fine pointer, stored as '0' / '1', kept across a reload", async () => {
    const coarse = await page.evaluate(() => matchMedia("(pointer: coarse)").matches);
    const box = page.getByLabel("Enter sends the message");
    expect(await stored()).toBeNull();
    expect(await box.isChecked()).toBe(!coarse);
    await box.setChecked(false);
    expect(await stored()).toBe("0");
    await page.reload();
    await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).toContain("Online");
    await openSettings();
    expect(await page.getByLabel("Enter sends the message").isChecked()).toBe(false);
    await page.getByLabel("Enter sends the message").setChecked(true);
    expect(await stored()).toBe("1");
  });

  it("says what the notification permission is and shows the build label of this page", async () => {
    const setting = settings().getByTestId("notification-setting");
    expect(await setting.getAttribute("data-access")).toBe(await page.evaluate(() => Notification.permission));
    expect((await setting.textContent())?.length).toBeGreaterThan(20);
    const build = await page.evaluate(() => document.documentElement.dataset.build);
    expect(build).toBeTruthy();
    expect(await settings().getByTestId("build-id").textContent()).toBe(build);
    expect(await settings().textContent()).toContain("Porthole 0.1.0");
  });

  it("closes with Escape (back to the contacts) and sits beside the contacts at 1280x800", async () => {
    await page.keyboard.press("Escape");
    await page.locator(".roster").waitFor({ timeout: WAIT });
    expect(await settings().count()).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });
    await openSettings();
    expect(await page.locator(".roster").isVisible()).toBe(true);
    await shoot("settings-1280");
    // Opening a chat from the contacts replaces the settings.
    await view.openBobChat();
    expect(await settings().count()).toBe(0);
    await page.setViewportSize({ width: 360, height: 640 });
  });

  it("clears this device's history only once confirmed, and that logs out", async () => {
    await view.send("kept on this device");
    await expect.poll(view.outStates, { timeout: WAIT }).toEqual(["kept on this device:delivered"]);
    await page.getByRole("button", { name: "Back to contacts" }).click();
    await openSettings();
    const messages = () => deviceMessageCount(page);
    await expect.poll(messages, { timeout: WAIT }).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Clear this device's history" }).click();
    await shoot("settings-clear-360");
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await view.connection().textContent()).toContain("Online");
    expect(await messages()).toBeGreaterThan(0);

    await page.getByRole("button", { name: "Clear this device's history" }).click();
    await page.getByRole("button", { name: "Clear and log out" }).click();
    await page.getByLabel("Password").waitFor({ timeout: WAIT });
    expect(await view.connection().textContent()).toContain("Not signed in");
    await expect.poll(messages, { timeout: WAIT }).toBe(0);
    expect(rig.errors).toEqual([]);
  });
});
