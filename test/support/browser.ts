/**
 * Debian's Chromium driven by playwright-core, with the flags this machine needs, in a fresh profile that
 * is deleted on close. Every Content-Security-Policy violation Chromium reports in any page of the context
 * is collected; those a test did not announce with expectCspViolation() are appended to the file named by
 * PORTHOLE_CSP_LOG, which `npm test` (test/run-all.mjs) checks after the whole end-to-end suite.
 */
import { appendFileSync, existsSync, rmSync } from "node:fs";
import { type BrowserContext, chromium } from "playwright-core";
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
