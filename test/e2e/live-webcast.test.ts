/**
 * The watch page as a webcast page, real peers on 127.0.0.1: ffmpeg publishes to nginx-rtmp; Prosody
 * 0.12 with mod_muc (conference.localhost) and PEP bookmarks; `wrangler dev` with both as origins and
 * LIVE_CHAT_ROOM = `{stream}@conference.<domain>`; Chromium. Signed out, `/watch/live/cast` plays the
 * stream and offers "Sign in to chat" (the chat's chunk not fetched); signed in through the app, the same
 * page shows the room `cast@conference.<domain>` beside the video (the app's room view) and messages go
 * both ways with bob, a Node @xmpp/client occupant. Screenshots at 360x640 and 1280x800, light and
 * dark, with WCAG AA contrast and axe-core checked (contrast-support.ts shootBothSchemes).
 */
import { randomUUID } from "node:crypto";
import { xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { publish, type Running } from "../support/media";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { waitFor } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, type Peer, readLog, startPeer, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";
import { peerJoinsRoom } from "./rooms-support";

const PASSWORD = { alice: "alice-pw-22", bob: "bob-pw-22" };
const SHOTS = process.env.PORTHOLE_SCREENSHOTS ?? "/tmp";

describe("webcast page: the stream's chat room beside the video", () => {
  let prosody: ProsodyServer;
  let nginx: NginxRtmp;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let bob: Peer;
  let publisher: Running | null = null;
  let room: string;
  const errors: string[] = [];

  beforeAll(async () => {
    buildPwaIfStale();
    prosody = await startProsody({
      users: PASSWORD,
      muc: { conference: { muc_room_locking: "false", muc_room_default_persistent: "true" } },
      modules: ["pep", "bookmarks"],
    });
    nginx = await startNginxRtmp();
    room = `cast@conference.${prosody.domain}`;
    worker = await startWorker({
      RTMPT_ORIGINS: nginx.origin,
      XMPP_WEBSOCKET_URL: prosody.wsUrl,
      LIVE_CHAT_ROOM: `{stream}@conference.${prosody.domain}`,
    });
    browser = await launchBrowser();
    bob = await startPeer(prosody.wsUrl, prosody.domain, "bob", PASSWORD.bob, "node", WAIT);
    // bob opens the room by joining it, as Converse.js joins (MUC.constructPresence).
    await peerJoinsRoom(bob, room, "bob");
    publisher = publish(`${nginx.origin}/live/cast`, 300);
    await waitFor("ffmpeg publishing cast", async () => nginx.errorLog().includes("publish: name='cast'"), 30_000);
  });
  afterAll(async () => {
    publisher?.stop();
    await bob?.xmpp.stop().catch(() => {});
    await browser?.close();
    await worker?.stop();
    await nginx?.stop();
    await prosody?.stop();
  });

  const newPage = async (width: number, height: number) => {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height });
    page.on("pageerror", (e) => errors.push(String(e)));
    return page;
  };
  const status = (page: Page) =>
    page
      .getByTestId("watch-status")
      .textContent()
      .then((t) => (t ?? "").trim());
  const playing = async (page: Page) => {
    await expect.poll(() => status(page), { timeout: 20_000 }).toMatch(/Connecting|Live/);
    const play = page.getByRole("button", { name: "Play" });
    if (await play.isVisible()) await play.click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe("Live");
  };
  const roomView = (page: Page) => page.locator(`.watch__chat section.room[data-jid="${room}"]`);
  /** Where the video and the chat are on the page. */
  const layout = (page: Page) =>
    page.evaluate(() => {
      const box = (sel: string) => {
        const r = (document.querySelector(sel) as HTMLElement).getBoundingClientRect();
        return { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height) };
      };
      return { video: box(".watch__video"), chat: box(".watch__chat") };
    });

  it("signed out: the stream plays with a 'Sign in to chat' link to the app, the chat's code not fetched", async () => {
    const page = await newPage(360, 640);
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${worker.url}/watch/live/cast`);
    await playing(page);
    const link = page.getByRole("link", { name: "Sign in to chat" });
    await link.waitFor({ timeout: WAIT });
    expect(await link.getAttribute("href")).toBe("/?return=%2Fwatch%2Flive%2Fcast");
    expect(await page.getByTestId("watch-chat").textContent()).toContain(room);
    expect(
      scripts.some((s) => s.includes("watch-chat")),
      "the chat chunk is not loaded signed out",
    ).toBe(false);
    expect(scripts.some((s) => s.includes("signed-in-panes"))).toBe(false);
    const phone = await layout(page);
    expect(phone.chat.y, "phone: the chat under the video").toBeGreaterThanOrEqual(phone.video.y + phone.video.h);
    await shootBothSchemes(page, `${SHOTS}/webcast-signed-out-360x640`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await shootBothSchemes(page, `${SHOTS}/webcast-signed-out-1280x800`);

    // The link leads to the app's login; signed in there, back to the stream, with its chat.
    await link.click();
    await page.getByLabel("Address", { exact: true }).fill(`alice@${prosody.domain}`);
    await page.getByLabel("Password").fill(PASSWORD.alice);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${worker.url}/watch/live/cast`, { timeout: WAIT });
    await playing(page);
    await roomView(page).waitFor({ timeout: WAIT });
    await page.close();
  });

  it("signed in: the room beside the video (under it on a phone), messages both ways with an occupant", async () => {
    const page = await newPage(1280, 800);
    await page.goto(`${worker.url}/watch/live/cast`);
    await playing(page);
    await roomView(page).waitFor({ timeout: WAIT });
    await page.getByRole("log", { name: "Messages" }).waitFor({ timeout: WAIT });
    await expect.poll(() => page.getByRole("button", { name: "2 people" }).count(), { timeout: WAIT }).toBe(1);
    expect(await page.getByRole("link", { name: "Sign in to chat" }).count()).toBe(0);

    const id = randomUUID();
    await bob.xmpp.send(
      xml(
        "message",
        { to: room, type: "groupchat", id },
        xml("body", {}, "nice stream"),
        xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
        xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
      ),
    );
    await expect.poll(async () => (await readLog(page)).map((r) => r.body), { timeout: WAIT }).toContain("nice stream");
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("hello from the watch page");
    await box.press("Enter");
    await bob.waitFor(
      "alice's message in the room",
      (el) => el.is("message") && el.attrs.type === "groupchat" && el.getChildText("body") === "hello from the watch page",
    );
    expect(await status(page), "the video plays on beside the chat").toBe("Live");

    const desktop = await layout(page);
    expect(desktop.chat.x, "desktop: the chat right of the video").toBeGreaterThanOrEqual(desktop.video.x + desktop.video.w);
    expect(desktop.chat.h).toBeGreaterThan(600);
    await shootBothSchemes(page, `${SHOTS}/webcast-1280x800`);
    await page.setViewportSize({ width: 360, height: 640 });
    const phone = await layout(page);
    expect(phone.chat.y, "phone: the chat under the video").toBeGreaterThanOrEqual(phone.video.y + phone.video.h);
    expect(phone.chat.y + phone.chat.h, "phone: the chat within the screen").toBeLessThanOrEqual(640);
    await shootBothSchemes(page, `${SHOTS}/webcast-360x640`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
