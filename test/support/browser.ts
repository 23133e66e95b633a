/**
 * Debian's Chromium driven by playwright-core, with the flags this machine needs, in a fresh profile that
 * is deleted on close. Every Content-Security-Policy violation Chromium reports in any page of the context
 * is collected; those a test did not announce with expectCspViolation() are appended to the file named by
 * PORTHOLE_CSP_LOG, which `npm test` (test/run-all.mjs) checks after the whole end-to-end suite.
 */
import { appendFileSync, existsSync, rmSync } from "node:fs";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { tempDir } from "./process";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags this machine needs (no sandbox as root; no background network, which the closed network refuses). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const CSP_MESSAGE = /Content Security Policy/i;
const expected = new WeakMap<BrowserContext, string[]>();

/** Announces a violation a test provokes on purpose: a console message containing `blockedUrl` is not reported. */
export function expectCspViolation(context: BrowserContext, blockedUrl: string): void {
  expected.get(context)?.push(blockedUrl);
}

export async function launchBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run test/support/provision.sh`);
  const profile = tempDir("chromium");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const announced: string[] = [];
  expected.set(context, announced);
  const unexpected: string[] = [];
  context.on("console", (m) => {
    const text = m.text();
    if (CSP_MESSAGE.test(text) && !announced.some((url) => text.includes(url)))
      unexpected.push(`${m.page()?.url() ?? "?"}: ${text}`);
  });
  context.once("close", () => {
    const log = process.env.PORTHOLE_CSP_LOG;
    if (log && unexpected.length) appendFileSync(log, `${unexpected.join("\n")}\n`);
    // The profile is fresh for every launch; remove it once Chromium has exited.
    // Chromium's helper processes may still be writing there for a moment: retry, and never throw from here.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {}
  });
  return context;
}

/** The sizes every view is looked at: a phone and a desktop. */
export const VIEWPORTS = [
  [360, 640],
  [1280, 800],
] as const;

/**
 * When PORTHOLE_SCREENSHOTS names a directory: screenshots of `page` at each of VIEWPORTS, light and
 * dark, as `<name>-<width>-<scheme>.png` (`prepare` runs before each, e.g. to scroll); then the page is
 * back at 360x640, light. Without it, nothing happens.
 */
export async function screenshotViews(page: Page, name: string, prepare: () => Promise<void> = async () => {}): Promise<void> {
  const dir = process.env.PORTHOLE_SCREENSHOTS;
  if (!dir) return;
  for (const [width, height] of VIEWPORTS)
    for (const scheme of ["light", "dark"] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await prepare();
      await page.waitForTimeout(250);
      await page.screenshot({ path: `${dir}/${name}-${width}-${scheme}.png` });
    }
  await page.setViewportSize({ width: 360, height: 640 });
  await page.emulateMedia({ colorScheme: "light" });
}
