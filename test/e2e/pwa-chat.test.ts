// The chat PWA end to end: real Chromium → wrangler dev (PWA + /xmpp-websocket passthrough) → real Prosody,
// with bob as a Node @xmpp/client. Covers every use case of issue 6 at a 360x640 viewport.
import { xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { freePort } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, type Peer, startPeer } from "./chat-support";

const WAIT = 30_000;
const PASSWORD = { alice: "alice-pw-1", bob: "bob-pw-2", carol: "carol-pw-3" };

/** WCAG 2.x AA: every visible text (direct text nodes) against its effective background must reach 4.5:1. */
async function contrastProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type RGBA = { r: number; g: number; b: number; a: number };
    const parse = (c: string): RGBA | null => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m?.[1]) return null;
      const [r = 0, g = 0, b = 0, a = 1] = m[1]
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return { r, g, b, a };
    };
    const channel = (v: number) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const lum = (c: RGBA) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    const background = (el: Element | null): RGBA => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      if (!Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent?.trim())) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (!box.width || !box.height || style.visibility === "hidden" || el.closest("[hidden]")) continue;
      const fg = parse(style.color);
      if (!fg) continue;
      const [hi, lo] = [lum(fg), lum(background(el))].sort((a, b) => b - a) as [number, number];
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < 4.5)
        out.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent?.trim().slice(0, 30)}": ${ratio.toFixed(2)}`);
    }
    return out;
  });
}

describe("chat PWA against Prosody through wrangler dev", () => {
  let prosody: ProsodyServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let bob: Peer;
  let page: Page;
  let alice: string;
  let bobJid: string;
  const errors: string[] = [];

  beforeAll(async () => {
    buildPwaIfStale();
    prosody = await startProsody({ users: PASSWORD });
    alice = `alice@${prosody.domain}`;
    bobJid = `bob@${prosody.domain}`;
    worker = await startWorker({ XMPP_WEBSOCKET_URL: prosody.wsUrl });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    page.on("pageerror", (e) => errors.push(String(e)));
    bob = await startPeer(prosody.wsUrl, prosody.domain, "bob", PASSWORD.bob, "node", WAIT);
  });

  afterAll(async () => {
    await bob?.xmpp.stop().catch(() => {});
    await browser?.close();
    await worker?.stop();
    await prosody?.stop();
  });

  const connection = () => page.getByTestId("connection");
  const row = (jid: string) => page.locator(`button.contact[data-jid="${jid}"]`);

  it("tells an unreachable server and a server the site's CSP does not allow apart from a wrong password", async () => {
    await page.goto(`${worker.url}/`);
    await page.getByLabel("Address").fill(alice);
    await page.getByLabel("Password").fill(PASSWORD.alice);
    const problem = page.getByTestId("login-problem");
    // The PWA reads its own CSP and never attempts what it forbids: no violation may happen on this page.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    const violations = () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

    // The worker's XMPP upstream is down: the worker answers 502. XEP-0156 discovery on the JID's domain is
    // not in this host's connect-src (no XMPP_CONNECT_SRC), so it is not attempted: the user is told why.
    await prosody.stop();
    await page.getByLabel("Password").press("Enter");
    await problem.waitFor({ timeout: WAIT });
    expect(await problem.textContent()).toBe(
      `Cannot reach this site's chat server. This site is not allowed to connect to ${prosody.domain}: ask its operator to add it to XMPP_CONNECT_SRC.`,
    );
    expect(await page.getByLabel("Address").inputValue()).toBe(alice);
    await prosody.restart();
    await expect.poll(() => bob.xmpp.status, { timeout: 60_000 }).toBe("online");

    // An explicit endpoint on another origin: refused by the page's connect-src, so never opened.
    await page.getByText("Advanced", { exact: true }).click();
    const elsewhere = `127.0.0.1:${await freePort()}`;
    await page.getByLabel("WebSocket URL").fill(`ws://${elsewhere}/xmpp-websocket`);
    await page.getByLabel("Password").press("Enter");
    await expect
      .poll(() => problem.textContent(), { timeout: WAIT })
      .toBe(`This site is not allowed to connect to ${elsewhere}: ask its operator to add it to XMPP_CONNECT_SRC.`);
    expect(await violations()).toEqual([]);
    expect(await page.getByLabel("Password").inputValue()).toBe(PASSWORD.alice);
    await page.getByLabel("WebSocket URL").fill("");
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await contrastProblems(page), `login view, ${scheme}`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("refuses a wrong password inline and keeps what was typed", async () => {
    await page.getByLabel("Address").fill(alice);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByLabel("Password").press("Enter");
    const problem = page.getByTestId("login-problem");
    await problem.waitFor({ timeout: WAIT });
    expect(await problem.textContent()).toBe("Wrong address or password.");
    expect(await page.getByLabel("Address").inputValue()).toBe(alice);
    expect(await connection().textContent()).toContain("Offline");
  });

  it("logs in and shows a subscription request, which alice approves: bob joins her roster with presence", async () => {
    await page.getByLabel("Password").fill(PASSWORD.alice);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    expect(await connection().textContent()).toContain(alice);

    await bob.xmpp.send(xml("presence", { type: "subscribe", to: alice }));
    const approve = page.getByRole("button", { name: `Approve ${bobJid}` });
    await approve.waitFor({ timeout: WAIT });
    await approve.click();
    // alice's approval also asks for bob's presence, which bob's client approves: bob shows up available.
    await bob.waitFor("alice's subscribe", (el) => el.is("presence") && el.attrs.type === "subscribe");
    await expect.poll(() => row(bobJid).textContent(), { timeout: WAIT }).toContain("available");
    await expect.poll(() => row(bobJid).textContent(), { timeout: WAIT }).not.toContain("request sent");
    expect(await approve.count()).toBe(0);
  });

  it("shows bob's message as unread, then in the chat; markup in a body stays text", async () => {
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "b1" }, xml("body", {}, "hello alice")));
    await expect.poll(() => row(bobJid).getByTestId("unread").textContent(), { timeout: WAIT }).toContain("1");
    await row(bobJid).click();
    const log = page.getByRole("log", { name: "Messages" });
    await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain("hello alice");
    expect(await page.getByTestId("total-unread").count()).toBe(0);

    const evil = `<img src=x onerror="window.__pwned=1"><b>bold</b><script>window.__pwned=2</script>`;
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "b2" }, xml("body", {}, evil)));
    await expect.poll(() => log.locator(".msg__body").last().textContent(), { timeout: WAIT }).toBe(evil);
    expect(await log.locator("img, b, script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // Web addresses become links (http and https only); a javascript: one, even in markup, stays text.
    const withLinks =
      'docs at https://example.org/a?b=1&c=2, not javascript:window.__pwned=3 nor <a href="javascript:window.__pwned=4">x</a>';
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "b2l" }, xml("body", {}, withLinks)));
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
    const got = await bob.waitFor("alice's message", (el) => el.is("message") && el.getChildText("body") !== null);
    expect(got.getChildText("body")).toBe("hi bob\nsecond line");
    expect(got.attrs.from?.startsWith(`${alice}/`)).toBe(true);
    expect(await box.inputValue()).toBe("");
    const mine = page.locator(".msg--out").last();
    await expect.poll(() => mine.getAttribute("data-state"), { timeout: WAIT }).toBe("delivered");
  });

  it("shows presence changes both ways", async () => {
    await bob.xmpp.send(xml("presence", {}, xml("show", {}, "away"), xml("status", {}, "out to lunch")));
    await page.getByRole("button", { name: "Back to contacts" }).click();
    await expect.poll(() => row(bobJid).textContent(), { timeout: WAIT }).toContain("away · out to lunch");

    await page.getByLabel("Status message").fill("in a meeting");
    await page.getByLabel("My availability").selectOption("dnd");
    await page.getByRole("button", { name: "Set", exact: true }).click();
    const p = await bob.waitFor("alice's dnd", (el) => el.is("presence") && el.getChildText("show") === "dnd");
    expect(p.getChildText("status")).toBe("in a meeting");
  });

  it("adds a contact (request pending) and removes it", async () => {
    const carol = `carol@${prosody.domain}`;
    await page.getByText("Add contact").click();
    await page.getByLabel("Contact address").fill(carol);
    await page.getByLabel("Contact name").fill("Carol");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(() => row(carol).textContent(), { timeout: WAIT }).toContain("request sent");
    expect(await row(carol).textContent()).toContain("Carol");

    await row(carol).click();
    await page.getByRole("button", { name: "Remove contact" }).click();
    await page.getByRole("button", { name: "Confirm remove" }).click();
    await expect.poll(() => row(carol).count(), { timeout: WAIT }).toBe(0);
    await row(bobJid).waitFor({ timeout: WAIT });
  });

  it("shows a stranger's message under other conversations, and adds the stranger as a contact", async () => {
    const carolJid = `carol@${prosody.domain}`;
    const carol = await startPeer(prosody.wsUrl, prosody.domain, "carol", PASSWORD.carol, "node", WAIT);
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
      await expect.poll(() => row(carolJid).textContent(), { timeout: WAIT }).toContain("available");
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
    // Record every text the connection indicator shows, so a short outage cannot be missed.
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid="connection"]');
      const seen: string[] = [];
      (window as unknown as { __states: string[] }).__states = seen;
      if (el)
        new MutationObserver(() => seen.push(el.textContent ?? "")).observe(el, {
          subtree: true,
          childList: true,
          characterData: true,
        });
    });
    await prosody.restart();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __states: string[] }).__states.join("|")), { timeout: 60_000 })
      .toMatch(/Reconnecting….*\|Online/);
    await expect.poll(() => connection().textContent(), { timeout: 60_000 }).toContain("Online");
    await expect.poll(() => bob.xmpp.status, { timeout: 60_000 }).toBe("online");

    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "b3" }, xml("body", {}, "still there?")));
    await expect.poll(() => page.getByRole("log").textContent(), { timeout: WAIT }).toContain("still there?");
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("yes, back again");
    await box.press("Enter");
    await bob.waitFor("alice's message after the restart", (el) => el.getChildText("body") === "yes, back again");
  });

  it("logs out: back to the login form, state cleared, bob sees alice go offline", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Confirm log out" }).click();
    await page.getByLabel("Password").waitFor({ timeout: WAIT });
    expect(await connection().textContent()).toContain("Offline");
    expect(await page.locator("button.contact").count()).toBe(0);
    expect(await page.getByRole("log").count()).toBe(0);
    await bob.waitFor(
      "alice's unavailable",
      (el) => el.is("presence") && el.attrs.type === "unavailable" && !!el.attrs.from?.startsWith(alice),
    );
    expect(await page.getByLabel("Address").inputValue()).toBe(alice);
    expect(errors).toEqual([]);
  });
});
