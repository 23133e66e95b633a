/**
 * The PWA's watch page in Chromium, real peers on 127.0.0.1: ffmpeg publishes to nginx-rtmp, `wrangler
 * dev` serves the PWA and `/live/...flv`, and `/watch/live/<stream>` plays it with mpegts.js (Media
 * Source Extensions): the video's clock advances 10 s and more, frames are decoded, the page says Live,
 * Buffering while the publisher's feed is frozen and Live again after, the latency behind the live edge,
 * Broadcast ended once the publisher stops (not retried: Watch again plays it when it is back), Source lost
 * (retrying by itself) when nginx-rtmp is killed, the worker telling the two apart by the WebSocket's close code. The player is not part of the first load. Screenshots at
 * 360x640 and 1280x800, light and dark, when PORTHOLE_SCREENSHOTS names a directory.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotViews } from "../support/browser";
import { publish, type Running } from "../support/media";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { waitFor } from "../support/process";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";

describe("PWA watch page: /watch/<app>/<stream> plays the live stream in Chromium", () => {
  let nginx: NginxRtmp;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let publisher: Running | null = null;

  beforeAll(async () => {
    nginx = await startNginxRtmp();
    worker = await startWorker({ RTMPT_ORIGINS: nginx.origin });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    publisher?.stop();
    await browser?.close();
    await worker?.stop();
    await nginx?.stop();
  });

  const status = (page: Page) =>
    page
      .getByTestId("watch-status")
      .textContent()
      .then((t) => (t ?? "").trim());
  const playback = (page: Page) =>
    page.evaluate(() => {
      const v = document.querySelector("video") as HTMLVideoElement;
      return { time: v.currentTime, frames: v.getVideoPlaybackQuality().totalVideoFrames };
    });

  const latency = (page: Page) =>
    page
      .getByTestId("watch-latency")
      .textContent({ timeout: 5000 })
      .then((t) => (t ?? "").trim());

  it("plays: the clock passes 10 s with frames decoding, Live with its latency; a stalled feed shows Buffering, then Live again; Broadcast ended on stop, not retried; Watch again plays the next broadcast", async () => {
    publisher = publish(`${nginx.origin}/live/w1`, 120);
    await waitFor("ffmpeg publishing w1", async () => nginx.errorLog().includes("publish: name='w1'"), 30_000);
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    await page.setViewportSize({ width: 360, height: 640 });
    await page.goto(`${worker.url}/watch/live/w1`);
    await expect.poll(() => status(page), { timeout: 20_000 }).toMatch(/Connecting|Live/);
    const play = page.getByRole("button", { name: "Play" });
    if (await play.isVisible()) await play.click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe("Live");
    // The first document loaded only the page's own chunks; the player came with the watch page.
    expect(scripts.some((s) => s.includes("watch-player"))).toBe(true);
    await expect.poll(async () => (await playback(page)).time, { timeout: 40_000, interval: 500 }).toBeGreaterThanOrEqual(10);
    const a = await playback(page);
    await page.waitForTimeout(1000);
    const b = await playback(page);
    expect(b.frames).toBeGreaterThan(a.frames);
    expect(b.time).toBeGreaterThan(a.time);
    // How far behind the newest received frame the picture is: shown, and small for a live player.
    const shown = await latency(page);
    expect(shown).toMatch(/^Latency \d+\.\d s$/);
    expect(Number.parseFloat(shown.slice("Latency ".length))).toBeLessThan(5);
    console.info(`watch page: currentTime ${b.time.toFixed(1)} s, ${b.frames} frames decoded, ${shown}`);

    await screenshotViews(page, "watch");

    // The publisher's feed stalls (the process frozen, its connection held): the player runs dry.
    publisher.pause();
    await expect.poll(() => status(page), { timeout: 20_000, interval: 200 }).toBe("Buffering…");
    expect(await latency(page)).toMatch(/^Latency /);
    const stalledAt = (await playback(page)).time;
    publisher.resume();
    await expect.poll(() => status(page), { timeout: 20_000, interval: 200 }).toBe("Live");
    await expect.poll(async () => (await playback(page)).time, { timeout: 20_000, interval: 500 }).toBeGreaterThan(stalledAt + 2);

    publisher.interrupt();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe("Broadcast ended");
    expect(await page.getByText("The broadcast ended.").isVisible()).toBe(true);
    expect(await latency(page), "no latency once ended").toBe("");
    await screenshotViews(page, "watch-ended");

    // A broadcast that ended is not retried; Watch again plays the publisher's next one.
    publisher = publish(`${nginx.origin}/live/w1`, 60);
    await waitFor("ffmpeg publishing w1 again", async () => nginx.errorLog().split("publish: name='w1'").length > 2, 30_000);
    expect(await status(page), "not retried by itself").toBe("Broadcast ended");
    await page.getByRole("button", { name: "Watch again" }).click();
    const again = page.getByRole("button", { name: "Play" });
    if (await again.isVisible()) await again.click();
    await expect.poll(() => status(page), { timeout: 40_000, interval: 200 }).toBe("Live");
    const resumed = (await playback(page)).frames;
    await expect.poll(async () => (await playback(page)).frames, { timeout: 10_000 }).toBeGreaterThan(resumed);
    publisher.stop();
    await page.close();
  });

  it("nginx-rtmp killed: a playing page says it lost the stream's source and retries, a waiting one Cannot play; nothing hangs", async () => {
    publisher = publish(`${nginx.origin}/live/w2`, 120);
    await waitFor("ffmpeg publishing w2", async () => nginx.errorLog().includes("publish: name='w2'"), 30_000);
    const playing = await browser.newPage();
    await playing.goto(`${worker.url}/watch/live/w2`);
    const play = playing.getByRole("button", { name: "Play" });
    await expect.poll(() => status(playing), { timeout: 20_000 }).toMatch(/Connecting|Live/);
    if (await play.isVisible()) await play.click();
    await expect.poll(() => status(playing), { timeout: 20_000 }).toBe("Live");
    const waiting = await browser.newPage();
    await waiting.goto(`${worker.url}/watch/live/nobody`);
    await expect.poll(() => status(waiting), { timeout: 20_000 }).toMatch(/Connecting/);
    const killed = Date.now();
    await nginx.kill();
    await expect.poll(() => status(playing), { timeout: 15_000, interval: 200 }).toBe("Source lost");
    expect(await playing.getByText("Lost the stream's source; retrying…").isVisible()).toBe(true);
    expect(await playing.getByRole("button", { name: "Watch again" }).isVisible()).toBe(true);
    await screenshotViews(playing, "watch-lost");
    await expect.poll(() => status(waiting), { timeout: 15_000, interval: 200 }).toBe("Cannot play this stream");
    console.info(`nginx killed: both pages settled in ${Date.now() - killed} ms`);
    expect(await waiting.getByText("The stream could not be opened.").isVisible()).toBe(true);
    // Retrying by itself: the lost page tries again and, with no origin left, cannot open the stream.
    await expect.poll(() => status(playing), { timeout: 20_000, interval: 200 }).toBe("Cannot play this stream");
    await playing.close();
    await waiting.close();
  });
});
