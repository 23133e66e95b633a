/**
 * Benchmark 4, PWA start: in headless Chromium, time from navigation to the login view interactive,
 * cold (fresh profile: everything from the network) and warm (a later visit served by the Workbox
 * service worker's precache), from submitting the login form to the roster on screen against a
 * local Prosody 0.12 (200 contacts), and for a returning user (session resumed from the keys the app
 * saved) from navigation to the roster. The worker is the built bundle in workerd (production-like),
 * serving the PWA's assets and passing the XMPP WebSocket (RFC 7395) through to Prosody.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { waitFor } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import { launchChromium, type Marks, probe } from "./page-probe";
import { seedRoster } from "./seed";
import { type BenchRow, median, percentile, report } from "./support";

const COLD = 5;
const WARM = 10;
const LOGINS = 4;
const RESUMES = 5;
const CONTACTS = 200;
const WAIT = 60_000;

let prosody: ProsodyServer;
let workerd: WorkerdServer;
let browser: Browser;

beforeAll(async () => {
  prosody = await startProsody({ users: { alice: "alice-pw" } });
  seedRoster(prosody, "alice", CONTACTS);
  workerd = await startWorkerd(bundleWorker(), { XMPP_WEBSOCKET_URL: prosody.wsUrl, RTMPT_ORIGINS: "" });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await workerd?.stop();
  await prosody?.stop();
});

/** Opens the app in a new tab and waits for the login view (or, for a returning user, the roster). */
async function open(context: BrowserContext, until: "loginReady" | "rosterShown" = "loginReady") {
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 640 });
  await page.goto(`${workerd.url}/`);
  await page.waitForFunction((mark) => window.__marks[mark] !== undefined, until, { timeout: WAIT });
  return { page, marks: await page.evaluate(() => window.__marks) };
}

/** Logs in from the login view; resolves with submit → first roster row on screen. */
async function logIn(page: Page): Promise<number> {
  await page.getByLabel("Address", { exact: true }).fill(`alice@${prosody.domain}`);
  await page.getByLabel("Password", { exact: true }).fill("alice-pw");
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await page.waitForFunction(() => window.__marks.rosterShown !== undefined, undefined, { timeout: WAIT });
  const marks: Marks = await page.evaluate(() => window.__marks);
  expect(await page.locator("button.contact").count()).toBeGreaterThan(5);
  return (marks.rosterShown ?? Number.NaN) - (marks.submitted ?? Number.NaN);
}

it("PWA start: cold, warm (service worker), login to roster", async () => {
  const started = performance.now();
  const cold: number[] = [];
  const fcp: number[] = [];
  /** When the last byte of the document and its JS/CSS had arrived (network share of the cold start). */
  const coldFetched: number[] = [];
  for (let i = 0; i < COLD; i++) {
    const context = await browser.newContext();
    await context.addInitScript(probe);
    const { page, marks } = await open(context);
    expect(marks.controlled, "a fresh profile has no service worker yet").toBe(false);
    cold.push(marks.loginReady ?? Number.NaN);
    fcp.push(await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN));
    coldFetched.push(
      await page.evaluate(() =>
        Math.max(
          ...performance
            .getEntries()
            .filter((e) => e.entryType === "navigation" || /\/assets\/.*\.(js|css)$/.test(e.name))
            .map((e) => (e as PerformanceResourceTiming).responseEnd),
        ),
      ),
    );
    await context.close();
  }

  // One profile that installed the service worker; later navigations are served from its precache.
  const context = await browser.newContext();
  await context.addInitScript(probe);
  const first = await open(context);
  await first.page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await first.page.close();
  await waitFor(
    "a navigation controlled by the service worker",
    async () => {
      const { page, marks } = await open(context);
      await page.close();
      return marks.controlled === true;
    },
    WAIT,
  );
  const phase = (what: string) => console.log(`${what} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  phase("cold done");
  const warm: number[] = [];
  for (let i = 0; i < WARM; i++) {
    const { page, marks } = await open(context);
    expect(marks.controlled, "warm start is served by the service worker").toBe(true);
    warm.push(marks.loginReady ?? Number.NaN);
    await page.close();
  }

  phase("warm done");
  // Returning user: one login in this profile, then later visits resume the session (saved keys).
  const resumed: number[] = [];
  const login = await open(context);
  await logIn(login.page);
  await login.page.close();
  for (let i = 0; i < RESUMES; i++) {
    const { page, marks } = await open(context, "rosterShown");
    expect(marks.controlled, "served by the service worker").toBe(true);
    resumed.push(marks.rosterShown ?? Number.NaN);
    await page.close();
  }
  phase("resumes done");

  // First login: a fresh profile each time (nothing saved), submit → roster.
  const toRoster: number[] = [];
  for (let i = 0; i < LOGINS; i++) {
    const fresh = await browser.newContext();
    await fresh.addInitScript(probe);
    const { page } = await open(fresh);
    toRoster.push(await logIn(page));
    await fresh.close(); // drops its XMPP session
  }
  await context.close();
  phase("logins done");

  const warmP50 = median(warm);
  const rows: BenchRow[] = [
    { metric: "navigation → login interactive, cold p50", porthole: median(cold), unit: "ms" },
    { metric: "first contentful paint, cold p50", porthole: median(fcp), unit: "ms" },
    { metric: "document + JS + CSS fetched, cold p50", porthole: median(coldFetched), unit: "ms" },
    {
      metric: "navigation → login interactive, warm (SW) p50",
      porthole: warmP50,
      alternative: median(cold),
      unit: "ms",
      ratio: warmP50 / median(cold),
      target: "<= 300 ms",
      met: warmP50 <= 300,
    },
    { metric: "navigation → login interactive, warm p90", porthole: percentile(warm, 90), unit: "ms" },
    { metric: `first login: submit → roster shown (${CONTACTS} contacts) p50`, porthole: median(toRoster), unit: "ms" },
    { metric: "returning user: navigation → roster (session resumed, SW) p50", porthole: median(resumed), unit: "ms" },
  ];
  report("pwa-start", "PWA start in headless Chromium (360x640)", "cold start of the same build (no alternative client)", rows, {
    samples: { cold, warm, resumed, toRoster, fcp, coldFetched },
  });
});
