// The PWA's login form end to end (Chromium → wrangler dev → real Prosody 0.12), before any session:
// the site's chat server down and a server the site's CSP does not allow are told apart from a wrong
// password (more causes: pwa-login-causes.test.ts),
// and SASLprep in the SCRAM login (web/src/model/auth/saslprep.ts): Prosody SASLpreps the password it hashes,
// so one registered as "café pass" (composed é, plain space) logs in when typed on a phone as "cafe" +
// combining acute + no-break space + "pass", and a different password still fails (without SASLprep in the
// client the equivalent spelling is refused).
// The worker here serves its XMPP WebSocket at a non-default XMPP_WEBSOCKET_PATH: the PWA finds it in
// this host's host-meta.json (web/src/model/xmpp/own-endpoint.ts), opens nothing else, and keeps the
// path on the device (and the service worker sends a navigation there to the network, not the shell);
// with the hard-coded /xmpp-websocket no login here would succeed.
// Last, the signed-in panes' chunk failing to arrive (offline before the service worker holds it) is
// said after the login, and a retry brings the chat.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { freePort } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, WAIT } from "./chat-support";
import { contrastProblems } from "./contrast-support";

const ALICE_PASSWORD = "alice-pw-1";
const REGISTERED = "caf\u00E9 pass";
const TYPED = "cafe\u0301\u00A0pass";
const WEBSOCKET_PATH = "/chat/xmpp";

describe("PWA login form", () => {
  let prosody: ProsodyServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let page: Page;
  let alice: string;
  const errors: string[] = [];
  const websockets: string[] = [];

  beforeAll(async () => {
    buildPwaIfStale();
    prosody = await startProsody({ users: { alice: ALICE_PASSWORD, carla: REGISTERED } });
    alice = `alice@${prosody.domain}`;
    worker = await startWorker({ XMPP_WEBSOCKET_URL: prosody.wsUrl, XMPP_WEBSOCKET_PATH: WEBSOCKET_PATH });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("websocket", (ws) => websockets.push(ws.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await prosody?.stop();
  });

  async function login(address: string, password: string): Promise<void> {
    await page.goto(`${worker.url}/`);
    await page.getByLabel("Address", { exact: true }).fill(address);
    await page.getByLabel("Password").fill(password);
    await page.getByLabel("Password").press("Enter");
  }

  it("tells the site's chat server down and a server the site's CSP does not allow apart from a wrong password", async () => {
    await page.goto(`${worker.url}/`);
    await page.getByLabel("Address", { exact: true }).fill(alice);
    await page.getByLabel("Password").fill(ALICE_PASSWORD);
    const problem = page.getByTestId("login-problem");
    // The PWA reads its own CSP and never attempts what it forbids: no violation may happen on this page.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    const violations = () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

    // The worker's XMPP upstream is down: the worker answers 502. XEP-0156 discovery on the JID's domain is
    // not in this host's connect-src (no XMPP_CONNECT_SRC), so it is not attempted; with no other usable
    // endpoint, the site's own outage (its /healthz says so) is the cause shown, not the CSP.
    await prosody.stop();
    await page.getByLabel("Password").press("Enter");
    await problem.waitFor({ timeout: WAIT });
    expect(await problem.textContent()).toBe("This site's chat server is not answering. Try again in a moment.");
    expect(await page.getByLabel("Address", { exact: true }).inputValue()).toBe(alice);
    await prosody.restart();

    // An explicit endpoint on another origin: refused by the page's connect-src, so never opened.
    await page.getByText("Advanced", { exact: true }).click();
    const elsewhere = `127.0.0.1:${await freePort()}`;
    await page.getByLabel("WebSocket URL").fill(`ws://${elsewhere}/xmpp-websocket`);
    await page.getByLabel("Password").press("Enter");
    await expect
      .poll(() => problem.textContent(), { timeout: WAIT })
      .toBe(`This site is not allowed to connect to ${elsewhere}: ask its operator to add it to XMPP_CONNECT_SRC.`);
    expect(await violations()).toEqual([]);
    expect(await page.getByLabel("Password").inputValue()).toBe(ALICE_PASSWORD);
    await page.getByLabel("WebSocket URL").fill("");
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await contrastProblems(page), `login view, ${scheme}`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("refuses a wrong password inline and keeps what was typed", async () => {
    await page.getByLabel("Address", { exact: true }).fill(alice);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByLabel("Password").press("Enter");
    const problem = page.getByTestId("login-problem");
    await problem.waitFor({ timeout: WAIT });
    expect(await problem.textContent()).toBe("Wrong address or password.");
    expect(await page.getByLabel("Address", { exact: true }).inputValue()).toBe(alice);
    expect(await page.getByTestId("connection").textContent()).toContain("Not signed in");
  });

  it("SASLprep: a different password is refused", async () => {
    expect(TYPED).not.toBe(REGISTERED);
    await login(`carla@${prosody.domain}`, "cafe pass");
    await page.getByText("Wrong address or password.").waitFor({ timeout: WAIT });
  });

  it("SASLprep: the same password typed with a combining accent and a no-break space logs in", async () => {
    await login(`carla@${prosody.domain}`, TYPED);
    expect(await page.getByLabel("Password").inputValue()).toBe(TYPED);
    await page.getByRole("searchbox", { name: "Filter contacts" }).waitFor({ timeout: WAIT });
    expect(await page.getByText("Wrong address or password.").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("opened only this host's WebSocket at the path its host-meta names, and keeps that path on the device", async () => {
    const own = `${worker.url.replace(/^http/, "ws")}${WEBSOCKET_PATH}`;
    expect(websockets.length).toBeGreaterThan(0);
    expect([...new Set(websockets)]).toEqual([own]);
    expect(await page.evaluate(() => localStorage.getItem("porthole.xmppWebsocketPath"))).toBe(WEBSOCKET_PATH);
    // The service worker learns the path from host-meta too (web/src/pwa/websocket-path.ts), so a
    // navigation there reaches the worker (426 without an upgrade), never the app shell.
    const kept = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      for (let i = 0; i < 100; i++) {
        const entry = await (await caches.open("porthole-websocket-path")).match("/websocket-path");
        if (entry) return entry.text();
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    });
    expect(kept).toBe(WEBSOCKET_PATH);
    const there = await page.goto(`${worker.url}${WEBSOCKET_PATH}`);
    expect(there?.status()).toBe(426);
  });

  it("says when the signed-in panes' chunk cannot be fetched, and brings the chat on a retry", async () => {
    const fresh = await launchBrowser();
    try {
      const tab = await fresh.newPage();
      await tab.setViewportSize({ width: 360, height: 640 });
      const chunk = /\/assets\/signed-in-panes-[^/]*\.js$/;
      await tab.route(chunk, (route) => route.abort("internetdisconnected"));
      await tab.goto(`${worker.url}/`);
      await tab.getByLabel("Address", { exact: true }).fill(alice);
      await tab.getByLabel("Password").fill(ALICE_PASSWORD);
      await tab.getByLabel("Password").press("Enter");
      const alert = tab.getByRole("alert").filter({ hasText: "The chat could not be loaded." });
      await alert.waitFor({ timeout: WAIT });
      expect(await tab.getByRole("alert").filter({ hasText: "/assets/" }).count()).toBe(0);
      await tab.unroute(chunk);
      await alert.getByRole("button", { name: "Try again" }).click();
      await tab.getByRole("searchbox", { name: "Filter contacts" }).waitFor({ timeout: WAIT });
      expect(await alert.count()).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});
