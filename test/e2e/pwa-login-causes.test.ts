// Why the PWA's login failed, told apart in Chromium against real `wrangler dev` and real Prosody 0.12
// (web/src/model/xmpp/xmpp-endpoints.ts unreachableMessage, site-health.ts): the worker's XMPP upstream down
// (XMPP_WEBSOCKET_URL at a closed port: the handshake gets 502, invisible to the page, and /healthz says
// `xmpp.up: false`) is "not answering", not the CSP hint about discovery on the account's domain; this
// device offline is "offline", and the same login works once the network is back. The CSP-forbidden
// endpoint case is in pwa-login.test.ts.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { freePort } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, WAIT } from "./chat-support";

const PASSWORD = "alice-causes-1";

describe("PWA login: the cause of a failure", () => {
  let prosody: ProsodyServer;
  let down: WorkerServer;
  let up: WorkerServer;
  let browser: BrowserContext;
  let alice: string;
  const errors: string[] = [];

  beforeAll(async () => {
    buildPwaIfStale();
    prosody = await startProsody({ users: { alice: PASSWORD } });
    alice = `alice@${prosody.domain}`;
    // Nothing listens on a port just found free.
    down = await startWorker({ XMPP_WEBSOCKET_URL: `ws://127.0.0.1:${await freePort()}/xmpp-websocket` });
    up = await startWorker({ XMPP_WEBSOCKET_URL: prosody.wsUrl });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await down?.stop();
    await up?.stop();
    await prosody?.stop();
  });

  async function open(worker: WorkerServer): Promise<Page> {
    const page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${worker.url}/`);
    await page.getByLabel("Address", { exact: true }).fill(alice);
    await page.getByLabel("Password").fill(PASSWORD);
    return page;
  }

  it("the worker's XMPP upstream is down: 'This site's chat server is not answering'", async () => {
    const health = await fetch(`${down.url}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { xmpp: unknown }).xmpp).toEqual({ enabled: true, up: false, error: "unreachable" });

    const page = await open(down);
    await page.getByLabel("Password").press("Enter");
    const problem = page.getByTestId("login-problem");
    await problem.waitFor({ timeout: WAIT });
    expect(await problem.textContent()).toBe("This site's chat server is not answering. Try again in a moment.");
    expect(await page.getByLabel("Address", { exact: true }).inputValue()).toBe(alice);
    await page.close();
  });

  it("offline after the page loaded: 'You are offline', and the same login works once back online", async () => {
    const page = await open(up);
    await browser.setOffline(true);
    try {
      await page.waitForFunction(() => !navigator.onLine);
      await page.getByLabel("Password").press("Enter");
      const problem = page.getByTestId("login-problem");
      await problem.waitFor({ timeout: WAIT });
      expect(await problem.textContent()).toBe("You are offline: log in again when the network is back.");
    } finally {
      await browser.setOffline(false);
    }
    await page.waitForFunction(() => navigator.onLine);
    await page.getByLabel("Password").press("Enter");
    await page.getByRole("searchbox", { name: "Filter contacts" }).waitFor({ timeout: WAIT });
    expect(errors).toEqual([]);
    await page.close();
  });
});
