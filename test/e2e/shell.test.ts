import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";

describe("PWA shell in Chromium through wrangler dev", () => {
  let worker: WorkerServer;
  let browser: BrowserContext;

  beforeAll(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it("renders the app shell with its script running", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const res = await page.goto(`${worker.url}/`);
    expect(res?.status()).toBe(200);
    await page.getByRole("heading", { name: "Porthole" }).waitFor();
    expect(await page.title()).toBe("Porthole");
    expect(errors).toEqual([]);
  });
});
