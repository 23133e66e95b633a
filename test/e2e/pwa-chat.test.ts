// The chat PWA end to end: real Chromium → wrangler dev (PWA + /xmpp-websocket passthrough) → real Prosody,
// with bob as a Node @xmpp/client. Covers the logged-in use cases, at a 360x640 viewport:
// subscriptions, messages both ways (markup stays text, links), presence, contacts, layout and contrast,
// a server restart, logout. The login form's failures are in pwa-login.test.ts.
import { xml } from "@xmpp/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatRig, chatView, recordConnectionStates, startChatRig, startPeer } from "./chat-support";
import { contrastProblems } from "./contrast-support";

const WAIT = 30_000;
const PASSWORD = { alice: "alice-pw-1", bob: "bob-pw-2", carol: "carol-pw-3" };

describe("chat PWA against Prosody through wrangler dev", () => {
  let rig: ChatRig;
  let page: Page;
  let alice: string;
  let bobJid: string;
  const view = chatView(
    () => page,
    () => bobJid,
  );
  const { connection, row, setPresence, logout, removeContact } = view;

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD, WAIT);
    ({ alice, bobJid } = rig);
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("logs in and shows a subscription request, which alice approves: bob joins her roster with presence", async () => {
    await page.getByLabel("Address", { exact: true }).fill(alice);
    await page.getByLabel("Password").fill(PASSWORD.alice);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    expect(await connection().textContent()).toContain(alice);

    await rig.bob.xmpp.send(xml("presence", { type: "subscribe", to: alice }));
    const approve = page.getByRole("button", { name: `Approve ${bobJid}` });
    await approve.waitFor({ timeout: WAIT });
    await approve.click();
    // alice's approval also asks for bob's presence, which bob's client approves: bob shows up available.
    await rig.bob.waitFor("alice's subscribe", (el) => el.is("presence") && el.attrs.type === "subscribe");
    await expect.poll(() => row(bobJid).textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(() => row(bobJid).textContent(), { timeout: WAIT }).not.toContain("request sent");
    expect(await approve.count()).toBe(0);
  });

  it("shows bob's message as unread, then in the chat; markup in a body stays text", async () => {
    await rig.bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "b1" }, xml("body", {}, "hello alice")));
    await expect.poll(() => row(bobJid).getByTestId("unread").textContent(), { timeout: WAIT }).toContain("1");
    await row(bobJid).click();
    const log = page.getByRole("log", { name: "Messages" });
    await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain("hello alice");
    expect(await page.getByTestId("total-unread").count()).toBe(0);

    const evil = `<img src=x onerror="window.__pwned=1"><b>bold</b><script>window.__pwned=2</script>`;
    await rig.bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "b2" }, xml("body", {}, evil)));
    await expect.poll(() => log.locator(".msg__body").last().textContent(), { timeout: WAIT }).toBe(evil);
    expect(await log.locator("img, b, script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // Web addresses become links (http and https only); a javascript: one, even in markup, stays text.
    const withLinks =
      'docs at https://example.org/a?b=1&c=2, not javascript:window.__pwned=3 nor <a href="javascript:window.__pwned=4">x</a>';
    await rig.bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "b2l" }, xml("body", {}, withLinks)));
    const body = log.locator(".msg__body").last();
    await expect.poll(() => body.textContent(), { timeout: WAIT }).toBe(withLinks);
    const links = await body
      .locator("a")
      .evaluateAll((as) =>
        as.map((a) => [a.getAttribute("href"), a.getAttribute("target"), a.getAttribute("rel"), a.textContent]),
      );
    expect(links).toEqual([["https://example.org/a?b=1&c=2", "_blank", "noopener noreferrer", "https://example.org/a?b=1&c=2"]]);
    expect(await log.locator('a[href^="javascript:" i]').count()).toBe(0);
  });

  it("sends alice's message to bob (Enter sends, Shift+Enter is a newline) and shows it delivered", async () => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("hi bob");
    await box.press("Shift+Enter");
    await box.pressSequentially("second line");
    await box.press("Enter");
    const got = await rig.bob.waitFor("alice's message", (el) => el.is("message") && el.getChildText("body") !== null);
    expect(got.getChildText("body")).toBe("hi bob\nsecond line");
    expect(got.attrs.from?.startsWith(`${alice}/`)).toBe(true);
    expect(await box.inputValue()).toBe("");
    const mine = page.locator(".msg--out").last();
    await expect.poll(() => mine.getAttribute("data-state"), { timeout: WAIT }).toBe("delivered");
  });

  it("shows presence changes both ways", async () => {
    await rig.bob.xmpp.send(xml("presence", {}, xml("show", {}, "away"), xml("status", {}, "out to lunch")));
    await page.getByRole("button", { name: "Back to contacts" }).click();
    await expect.poll(() => row(bobJid).textContent(), { timeout: WAIT }).toContain("Away · out to lunch");

    await setPresence("dnd", "in a meeting");
    const p = await rig.bob.waitFor("alice's dnd", (el) => el.is("presence") && el.getChildText("show") === "dnd");
    expect(p.getChildText("status")).toBe("in a meeting");
    // The app bar says what bob sees, in the words of the availability choices.
    await expect.poll(() => page.locator(".conn__word").textContent(), { timeout: WAIT }).toBe("Do not disturb");
    await setPresence("away", "");
    await expect.poll(() => page.locator(".conn__word").textContent(), { timeout: WAIT }).toBe("Away");
    await setPresence("available", "");
    await expect.poll(() => page.locator(".conn__word").textContent(), { timeout: WAIT }).toBe("Online");
  });

  it("adds a contact (request pending) and removes it", async () => {
    const carol = `carol@${rig.prosody.domain}`;
    await page.getByText("Add contact").click();
    await page.getByLabel("Contact address").fill(carol);
    await page.getByLabel("Contact name").fill("Carol");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(() => row(carol).textContent(), { timeout: WAIT }).toContain("request sent");
    expect(await row(carol).textContent()).toContain("Carol");

    await row(carol).click();
    await removeContact();
    await expect.poll(() => row(carol).count(), { timeout: WAIT }).toBe(0);
    await row(bobJid).waitFor({ timeout: WAIT });
  });

  it("shows a stranger's message under other conversations, and adds the stranger as a contact", async () => {
    const carolJid = `carol@${rig.prosody.domain}`;
    const carol = await startPeer(rig.prosody.wsUrl, rig.prosody.domain, "carol", PASSWORD.carol, "node", WAIT);
    try {
      await carol.xmpp.send(xml("message", { to: alice, type: "chat", id: "c1" }, xml("body", {}, "hi, we met yesterday")));
      const other = page.locator(`[aria-labelledby="others-title"] button[data-jid="${carolJid}"]`);
      await other.waitFor({ timeout: WAIT });
      await expect.poll(() => page.getByTestId("total-unread").textContent(), { timeout: WAIT }).toContain("1");
      await other.click();
      await expect.poll(() => page.getByRole("log").textContent(), { timeout: WAIT }).toContain("hi, we met yesterday");
      await page.getByRole("button", { name: "Add to contacts" }).click();
      await carol.waitFor("alice's subscription request", (el) => el.is("presence") && el.attrs.type === "subscribe");
      await page.getByRole("button", { name: "Back to contacts" }).click();
      await expect.poll(() => row(carolJid).textContent(), { timeout: WAIT }).toContain("Online");
      expect(await other.count()).toBe(0);
    } finally {
      await carol.xmpp.stop().catch(() => {});
    }
  });

  it("is usable at 360x640: nothing overflows sideways, the composer is on screen", async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await row(bobJid).click();
    const box = await page.getByRole("textbox", { name: "Message" }).boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(640);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it("meets WCAG AA text contrast in light and dark (prefers-color-scheme) on the chat and roster views", async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await background()).toBe(scheme === "dark" ? "rgb(18, 19, 22)" : "rgb(255, 255, 255)");
      expect(await contrastProblems(page), `chat view, ${scheme}`).toEqual([]);
      await page.getByRole("button", { name: "Back to contacts" }).click();
      expect(await contrastProblems(page), `roster view, ${scheme}`).toEqual([]);
      await row(bobJid).click();
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("rides out a server restart: shows the drop, reconnects by itself, messages flow again", async () => {
    const states = await recordConnectionStates(page);
    await rig.prosody.restart();
    await expect.poll(async () => (await states()).join("|"), { timeout: 60_000 }).toMatch(/Reconnecting….*\|Online/);
    await expect.poll(() => connection().textContent(), { timeout: 60_000 }).toContain("Online");
    await expect.poll(() => rig.bob.xmpp.status, { timeout: 60_000 }).toBe("online");

    await rig.bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "b3" }, xml("body", {}, "still there?")));
    await expect.poll(() => page.getByRole("log").textContent(), { timeout: WAIT }).toContain("still there?");
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("yes, back again");
    await box.press("Enter");
    await rig.bob.waitFor("alice's message after the restart", (el) => el.getChildText("body") === "yes, back again");
  });

  it("logs out: back to the login form, state cleared, bob sees alice go offline", async () => {
    await logout();
    await page.getByLabel("Password").waitFor({ timeout: WAIT });
    expect(await connection().textContent()).toContain("Not signed in");
    expect(await page.locator("button.contact").count()).toBe(0);
    expect(await page.getByRole("log").count()).toBe(0);
    await rig.bob.waitFor(
      "alice's unavailable",
      (el) => el.is("presence") && el.attrs.type === "unavailable" && !!el.attrs.from?.startsWith(alice),
    );
    expect(await page.getByLabel("Address", { exact: true }).inputValue()).toBe(alice);
    expect(rig.errors).toEqual([]);
  });
});
