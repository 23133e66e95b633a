// The device history (IndexedDB) shared by two tabs of the PWA, end to end in Chromium under wrangler
// dev: when a second tab opens the database at a newer version (what the next build's schema upgrade
// does), the first tab closes its connection at once, so the upgrade runs instead of waiting forever
// ("blocked"), and the first tab tells its user to reload.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, WAIT } from "./chat-support";

/** The database's version as this page sees it (0: not created yet). */
const dbVersion = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === "porthole")?.version ?? 0);

describe("PWA device history across tabs: a newer tab's upgrade", () => {
  let worker: WorkerServer;
  let browser: BrowserContext;
  const pages: Page[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    buildPwaIfStale();
    worker = await startWorker();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  const openTab = async () => {
    const page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${worker.url}/`);
    pages.push(page);
    return page;
  };

  it("two tabs show the same account's device history (both hold the database open)", async () => {
    const first = await openTab();
    // A remembered address: the app opens that account's device history on start, before any login.
    await first.evaluate(() => localStorage.setItem("porthole.address", "alice@example.org"));
    await first.reload();
    await expect.poll(() => dbVersion(first), { timeout: WAIT }).toBe(1);
    await openTab();
  });

  it("the upgrade opened in the second tab completes, and the first tab says reload", async () => {
    const [first, second] = pages as [Page, Page];
    const outcome = await second.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const seen: string[] = [];
          const req = indexedDB.open("porthole", 2);
          req.onupgradeneeded = () => req.result.createObjectStore("added-by-v2");
          req.onblocked = () => seen.push("blocked");
          req.onsuccess = () => {
            const stores = Array.from(req.result.objectStoreNames);
            req.result.close();
            resolve([...seen, "opened", ...stores]);
          };
          req.onerror = () => resolve([...seen, `error ${req.error?.name}`]);
          setTimeout(() => resolve([...seen, "still waiting after 5 s"]), 5000);
        }),
    );
    expect(outcome.filter((e) => e !== "blocked")).toEqual(["opened", "added-by-v2", "messages", "meta"]);
    const notice = first.getByTestId("store-notice");
    await expect.poll(() => notice.textContent(), { timeout: WAIT }).toContain("Porthole was updated in another tab");
    await expect.poll(() => notice.getByRole("button", { name: "Reload" }).count(), { timeout: WAIT }).toBe(1);
    expect(errors).toEqual([]);
  });
});
