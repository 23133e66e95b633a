// The chat PWA with a 5,000-contact roster (real Prosody, seeded on disk) in Chromium at 360x640:
// the list is windowed (a few dozen rows in the DOM), filterable, and walkable with the keyboard.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale } from "./chat-support";

const WAIT = 60_000;
const N = 5000;
const pad = (i: number) => String(i).padStart(4, "0");

/** Prosody 0.12 internal storage: data/<host>/roster/<user>.dat is a Lua table (util.serialization). */
function seedRoster(prosody: ProsodyServer, user: string): void {
  const dir = join(prosody.dir, "data", encodeURIComponent(prosody.domain), "roster");
  mkdirSync(dir, { recursive: true });
  const lines = ["return {", '\t[false] = { ["pending"] = {}; ["version"] = 1; };'];
  for (let i = 1; i <= N; i++) {
    lines.push(
      `\t["user${pad(i)}@${prosody.domain}"] = { ["groups"] = {}; ["subscription"] = "none"; ["name"] = "Contact ${pad(i)}"; };`,
    );
  }
  lines.push("};", "");
  writeFileSync(join(dir, `${user}.dat`), lines.join("\n"));
}

describe("chat PWA with 5,000 contacts", () => {
  let prosody: ProsodyServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    buildPwaIfStale();
    prosody = await startProsody({ users: { alice: "alice-pw" } });
    seedRoster(prosody, "alice");
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

  const rows = () => page.locator("button.contact");
  // The focused row's address, or what has the focus instead (so a failure says where it went).
  const focusedJid = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.dataset.jid ?? `not a row: ${el ? `${el.tagName.toLowerCase()}.${el.className}` : "nothing"}`;
    });

  it("renders a window of rows, not 5,000", async () => {
    await page.goto(`${worker.url}/`);
    await page.getByLabel("Address", { exact: true }).fill(`alice@${prosody.domain}`);
    await page.getByLabel("Password").fill("alice-pw");
    const t0 = Date.now();
    await page.getByLabel("Password").press("Enter");
    const filter = page.getByRole("searchbox", { name: "Filter contacts" });
    await expect.poll(() => filter.getAttribute("placeholder"), { timeout: WAIT }).toBe(`Filter ${N} contacts`);
    await rows().first().waitFor({ timeout: WAIT });
    console.log(`login → ${N}-contact roster on screen: ${Date.now() - t0} ms (informative; speed is for test/bench)`);
    const inDom = await rows().count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(60);
    expect(await rows().first().getAttribute("data-jid")).toBe(`user0001@${prosody.domain}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it("walks the list with the keyboard: End, arrows, Enter opens the chat", async () => {
    await rows().first().focus();
    await expect.poll(focusedJid, { timeout: WAIT }).toBe(`user0001@${prosody.domain}`);
    await page.keyboard.press("End");
    await expect.poll(focusedJid, { timeout: WAIT }).toBe(`user${pad(N)}@${prosody.domain}`);
    await page.keyboard.press("ArrowUp");
    await expect.poll(focusedJid, { timeout: WAIT }).toBe(`user${pad(N - 1)}@${prosody.domain}`);
    expect(await rows().count()).toBeLessThan(60);
    await page.keyboard.press("Home");
    await expect.poll(focusedJid, { timeout: WAIT }).toBe(`user0001@${prosody.domain}`);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /Contact 0002/ }).waitFor({ timeout: WAIT });
    await page.keyboard.press("Escape");
    await expect.poll(focusedJid, { timeout: WAIT }).toBe(`user0002@${prosody.domain}`);
  });

  it("filters by name or address", async () => {
    const filter = page.getByRole("searchbox", { name: "Filter contacts" });
    await filter.fill("4321");
    await expect.poll(() => rows().count(), { timeout: WAIT }).toBe(1);
    expect(await rows().first().textContent()).toContain("Contact 4321");
    await filter.fill(`user49`);
    await expect.poll(() => rows().count(), { timeout: WAIT }).toBeGreaterThan(5);
    await filter.fill("nobody-matches");
    await page.getByText("No contact matches.").waitFor({ timeout: WAIT });
  });
});
