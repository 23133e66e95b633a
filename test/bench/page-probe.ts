/**
 * In-page timing for the PWA benchmarks (High Resolution Time: `performance.now()` counts from the
 * navigation's time origin). An init script watches the DOM and records, once per page, when the login
 * view is interactive and when the roster is shown after the login form was submitted. "Interactive" is
 * the first frame after the element appeared plus one task: by then the main thread has rendered it and
 * would handle input. Playwright's own polling is never in the measured interval.
 */
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../support/browser";

export interface Marks {
  /** Login form's address field rendered and enabled. */
  loginReady?: number;
  /** Login form submitted. */
  submitted?: number;
  /** First roster row on screen (after the submit, or from a resumed session). */
  rosterShown?: number;
  /** Whether a service worker controlled the page when the login view was ready. */
  controlled?: boolean;
}

declare global {
  interface Window {
    __marks: Marks;
  }
}

/** Runs in the page before its own scripts (page.addInitScript / context.addInitScript). */
export function probe(): void {
  const marks: Marks = {};
  window.__marks = marks;
  const afterFrame = (set: (t: number) => void) => requestAnimationFrame(() => setTimeout(() => set(performance.now()), 0));
  let loginSeen = false;
  let rosterSeen = false;
  document.addEventListener("submit", () => (marks.submitted ??= performance.now()), true);
  new MutationObserver(() => {
    if (!loginSeen) {
      const field = document.querySelector<HTMLInputElement>('form.login input[name="username"]');
      if (field && !field.disabled) {
        loginSeen = true;
        afterFrame((t) => {
          marks.loginReady = t;
          marks.controlled = navigator.serviceWorker?.controller != null;
        });
      }
    }
    if (!rosterSeen && document.querySelector("section.roster button.contact")) {
      rosterSeen = true;
      afterFrame((t) => {
        marks.rosterShown = t;
      });
    }
  }).observe(document, { childList: true, subtree: true });
}

/** Debian's Chromium (non-persistent: every newContext() is a fresh profile, no cache, no service worker). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}
