// The signed-in shell at a phone's 360x640 and a laptop's 1280x800, in real Chromium against real
// Prosody through wrangler dev: the app bar stays one row and shows my address; its menu (WAI-ARIA
// disclosure: aria-expanded, aria-controls, Escape returns the focus) holds presence, notifications,
// settings and log out; the chat header truncates long names with an ellipsis and keeps "Remove
// contact" in the chat's menu behind a confirmation; the status words are true (not signed in, my own
// presence, no network); the notification permission is explained when blocked. Contrast (WCAG AA)
// in light and dark on each new view; screenshots in /tmp/shots-layout/.
import { mkdirSync } from "node:fs";
import { xml } from "@xmpp/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatRig, chatView, loginAndBefriendBob, openMenu, startChatRig, startPeer, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";

const PASSWORD = { alice: "alice-pw-l1", bob: "bob-pw-l2" };
const SHOTS = "/tmp/shots-layout";
const LONG_NAME = "Bartholomew Maximilian Longname-Featherstonehaugh";

describe("signed-in shell layout against Prosody", () => {
  let rig: ChatRig;
  let page: Page;
  const view = chatView(
    () => page,
    () => rig.bobJid,
  );

  const shoot = (name: string) => shootBothSchemes(page, `${SHOTS}/${name}`);
  const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rig = await startChatRig(PASSWORD, WAIT);
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("says 'Not signed in' before the first login, then my presence in one app bar row with my address", async () => {
    expect(await view.connection().textContent()).toContain("Not signed in");
    expect(await view.connection().textContent()).not.toContain("Offline");
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    const bar = await page.locator(".app-bar").boundingBox();
    expect(bar?.height ?? 0).toBeLessThanOrEqual(60);
    const jid = page.locator(".conn__jid");
    expect(await jid.textContent()).toContain(rig.alice);
    const jidBox = await jid.boundingBox();
    expect(jidBox?.width ?? 0).toBeGreaterThan(40);
    // The presence form is no longer the first thing of the contact list.
    expect(await page.locator(".roster").getByLabel("Status message").count()).toBe(0);
    expect(await noSidewaysScroll()).toBe(true);
    await shoot("roster-360");
  });

  it("opens the app menu from the keyboard: aria-expanded, focus inside, Escape closes and returns the focus", async () => {
    const button = page.getByRole("button", { name: "Menu", exact: true });
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    const panelId = await button.getAttribute("aria-controls");
    await button.focus();
    await page.keyboard.press("Enter");
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    const panel = page.locator(`#${panelId}`);
    expect(await panel.isVisible()).toBe(true);
    await expect
      .poll(() => page.evaluate((id) => !!document.getElementById(id ?? "")?.contains(document.activeElement), panelId))
      .toBe(true);
    expect(await panel.getByTestId("my-address").textContent()).toBe(rig.alice);
    for (const name of ["Settings", "Log out"]) expect(await panel.getByRole("button", { name }).count()).toBe(1);
    const box = await panel.boundingBox();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 999) <= 360).toBe(true);
    expect(await noSidewaysScroll()).toBe(true);
    await shoot("menu-360");
    await page.keyboard.press("Escape");
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    expect(await panel.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Menu");
    // A click outside closes it too, and so does the focus leaving it.
    await button.click();
    await page.mouse.click(180, 620);
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    await button.click();
    await page.locator("#account-menu").getByRole("button", { name: "Log out" }).focus();
    await page.keyboard.press("Tab");
    expect(await button.getAttribute("aria-expanded")).toBe("false");
  });

  it("names my presence in the bar as in the availability choices", async () => {
    await view.setPresence("away", "");
    await expect.poll(() => page.locator(".conn__word").textContent(), { timeout: WAIT }).toBe("Away");
    await view.setPresence("dnd", "");
    await expect.poll(() => page.locator(".conn__word").textContent(), { timeout: WAIT }).toBe("Do not disturb");
    await view.openMenu();
    const options = await page.getByLabel("My availability").locator("option").allTextContents();
    expect(options).toEqual(["Online", "Away", "Do not disturb"]);
    await page.keyboard.press("Escape");
    await view.setPresence("available", "");
    await expect.poll(() => page.locator(".conn__word").textContent(), { timeout: WAIT }).toBe("Online");
  });

  it("truncates a long contact name with an ellipsis and keeps Remove contact in the chat's menu, confirmed", async () => {
    // alice names bob with a long name from another of her clients (a roster set, RFC 6121 §2.3.2): pushed to the PWA.
    const other = await startPeer(rig.prosody.wsUrl, rig.prosody.domain, "alice", PASSWORD.alice, "laptop", WAIT);
    try {
      await other.xmpp.iqCaller.request(
        xml(
          "iq",
          { type: "set" },
          xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: rig.bobJid, name: LONG_NAME })),
        ),
      );
    } finally {
      await other.xmpp.stop().catch(() => {});
    }
    await expect.poll(() => view.row().textContent(), { timeout: WAIT }).toContain(LONG_NAME);
    await view.openBobChat();
    const title = page.locator(".chat__name");
    expect(await page.getByRole("button", { name: "Remove contact" }).count()).toBe(0);
    await openMenu(page, "Chat options");
    await page.getByRole("button", { name: "Remove contact" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await page.getByRole("button", { name: "Chat options" }).getAttribute("aria-expanded")).toBe("false");
    expect(await view.row().count()).toBe(1);
    const ellipsis = await title.evaluate((el) => ({
      overflow: getComputedStyle(el).textOverflow,
      whiteSpace: getComputedStyle(el).whiteSpace,
    }));
    expect(ellipsis).toEqual({ overflow: "ellipsis", whiteSpace: "nowrap" });
    // Cut, not pushed off: the name is wider than its box, which stays on screen.
    expect(await title.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    const nameBox = await title.boundingBox();
    expect((nameBox?.x ?? 0) + (nameBox?.width ?? 999)).toBeLessThanOrEqual(360);
    expect(await noSidewaysScroll()).toBe(true);
    await shoot("chat-360");
    await openMenu(page, "Chat options");
    await shoot("chat-menu-360");
    await page.keyboard.press("Escape");
    // Escape closed the menu only, not the chat.
    expect(await page.getByRole("log", { name: "Messages" }).count()).toBe(1);
  });

  it("without a network says so, and does not claim contacts' presence; back online it says Online again", async () => {
    await page.getByRole("button", { name: "Back to contacts" }).click();
    await page.context().setOffline(true);
    await expect.poll(() => page.locator(".conn__word").textContent(), { timeout: WAIT }).toBe("Reconnecting…");
    expect(await page.locator(".conn__detail").textContent()).toBe("No network");
    await page.getByTestId("presence-unknown").waitFor({ timeout: WAIT });
    expect(await view.row().textContent()).not.toContain("Online");
    expect(await view.row().locator(".presence--unknown").count()).toBe(1);
    await shoot("offline-360");
    await page.context().setOffline(false);
    await expect.poll(() => page.locator(".conn__word").textContent(), { timeout: WAIT }).toBe("Online");
    await expect.poll(() => view.row().textContent(), { timeout: WAIT }).toContain("Online");
    expect(await page.getByTestId("presence-unknown").count()).toBe(0);
  });

  it("at 1280x800 keeps the bar one row, the menu on screen, the chat beside the roster", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await view.openBobChat();
    const bar = await page.locator(".app-bar").boundingBox();
    expect(bar?.height ?? 0).toBeLessThanOrEqual(60);
    expect(await page.locator(".roster").isVisible()).toBe(true);
    await shoot("chat-1280");
    await view.openMenu();
    const box = await page.locator("#account-menu").boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 9999)).toBeLessThanOrEqual(1280);
    await shoot("menu-1280");
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 360, height: 640 });
    await page.getByRole("button", { name: "Back to contacts" }).click();
  });

  it("raised no error in the page", () => {
    expect(rig.errors).toEqual([]);
  });
});

describe("notification permission in words", () => {
  let rig: ChatRig;
  afterAll(async () => {
    await rig?.stop();
  });

  it("explains how to allow notifications when the site is blocked, and says when they are on", async () => {
    rig = await startChatRig(PASSWORD, WAIT);
    const page = await rig.newPage();
    // Chromium offers no switch to a denied permission from outside: the page sees "denied".
    await page.addInitScript(() => {
      Object.defineProperty(Notification, "permission", { configurable: true, get: () => "denied" });
    });
    await page.goto(`${rig.worker.url}/`);
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    await openMenu(page, "Menu");
    const setting = page.locator("#account-menu").getByTestId("notification-setting");
    expect(await setting.getAttribute("data-access")).toBe("denied");
    expect(await setting.textContent()).toContain("Notifications are blocked for this site");
    expect(await setting.textContent()).toContain("site settings");
    expect(await page.getByRole("button", { name: "Enable notifications" }).count()).toBe(0);
    await page.close();

    await rig.browser.grantPermissions(["notifications"], { origin: rig.worker.url });
    const granted = await rig.newPage();
    await granted.goto(`${rig.worker.url}/`);
    await expect.poll(() => granted.getByTestId("connection").textContent(), { timeout: WAIT }).toContain("Online");
    await openMenu(granted, "Menu");
    expect(await granted.getByTestId("notification-setting").getAttribute("data-access")).toBe("granted");
    expect(await granted.getByTestId("notification-setting").textContent()).toContain("Notifications are on");
    expect(rig.errors).toEqual([]);
  });
});
