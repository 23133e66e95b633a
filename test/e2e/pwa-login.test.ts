// SASLprep in the PWA's SCRAM login (web/src/model/saslprep.ts) against a real Prosody 0.12, which
// SASLpreps the password it hashes: a password registered as "café pass" (composed é, plain space) logs in
// when typed on a phone as "cafe" + combining acute + no-break space + "pass", and a different password
// still fails. Without SASLprep in the client the equivalent spelling is refused.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, WAIT } from "./chat-support";

const REGISTERED = "caf\u00E9 pass";
const TYPED = "cafe\u0301\u00A0pass";

describe("PWA login with a password in another Unicode spelling", () => {
  let prosody: ProsodyServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    buildPwaIfStale();
    prosody = await startProsody({ users: { carla: REGISTERED } });
    worker = await startWorker({ XMPP_WEBSOCKET_URL: prosody.wsUrl });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await prosody?.stop();
  });

  async function login(password: string): Promise<void> {
    await page.goto(`${worker.url}/`);
    await page.getByLabel("Address").fill(`carla@${prosody.domain}`);
    await page.getByLabel("Password").fill(password);
    await page.getByLabel("Password").press("Enter");
  }

  it("a different password is refused", async () => {
    expect(TYPED).not.toBe(REGISTERED);
    await login("cafe pass");
    await page.getByText("Wrong address or password.").waitFor({ timeout: WAIT });
  });

  it("the same password typed with a combining accent and a no-break space logs in", async () => {
    await login(TYPED);
    expect(await page.getByLabel("Password").inputValue()).toBe(TYPED);
    await page.getByRole("searchbox", { name: "Filter contacts" }).waitFor({ timeout: WAIT });
    expect(await page.getByText("Wrong address or password.").count()).toBe(0);
  });
});
