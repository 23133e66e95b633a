/** Debian's Chromium driven by playwright-core, with the flags this machine needs, in a fresh profile that is deleted on close. */
import { existsSync, rmSync } from "node:fs";
import { type BrowserContext, chromium } from "playwright-core";
import { tempDir } from "./process";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run test/support/provision.sh`);
  const profile = tempDir("chromium");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  // The profile is fresh for every launch; remove it once Chromium has exited.
  // Chromium's helper processes may still be writing there for a moment: retry, and never throw from here.
  context.once("close", () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {}
  });
  return context;
}
