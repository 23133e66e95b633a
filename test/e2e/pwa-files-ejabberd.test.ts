// Files and pictures with ejabberd: Chromium → wrangler dev (/upload/ forwarded to UPLOAD_URL) → real
// Debian ejabberd 23.01 with mod_http_upload behind its ejabberd_http listener, put_url / get_url set
// to the worker's public /upload (README.md, "File upload"). ejabberd's slot URLs have three segments
// (<sha1 of the JID>/<random>/<file name>, src/mod_http_upload.erl create_slot), Prosody's two.
// Bob is a Node client that uploads and sends files as Conversations does
// (src/main/java/eu/siacs/conversations/generator/MessageGenerator.java, generateChat: body = URL and
// <x xmlns='jabber:x:oob'><url>URL</url></x>; the slot request and PUT as XEP-0363 §4-5). ejabberd
// answers with `Cache-Control: public` (custom_headers), so downloads stay in the worker's edge cache.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { type Element as XmlElement, xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotViews } from "../support/browser";
import { type EjabberdServer, startEjabberd } from "../support/ejabberd";
import { freePort, tempDir } from "../support/process";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, chatView, loginAndBefriendBob, type Peer, startPeer, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";
import { filesReceived, NS_OOB, NS_UPLOAD, peerSendsFile, peerUploads } from "./files-support";

const PASSWORD = { alice: "alice-ejfiles-1", bob: "bob-ejfiles-1" };
const SHOTS = process.env.PORTHOLE_SCREENSHOTS ?? "/tmp";

/** A 1 s 160x120 H.264 clip (MP4, moov first so metadata loads from the first bytes). */
function smallMp4(): Buffer {
  const out = join(tempDir("mp4"), "clip.mp4");
  const ff = spawnSync(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=d=1:s=160x120"],
      ...["-pix_fmt", "yuv420p", "-c:v", "libx264", "-movflags", "+faststart", "-y", out],
    ],
    { encoding: "utf8" },
  );
  if (ff.status !== 0) throw new Error(`ffmpeg failed: ${ff.stderr}`);
  return readFileSync(out);
}

/** One HTTP/1.1 request with its path sent as written (fetch() would resolve dot segments first). */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Uint8Array,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", (e) => reject(new Error(`${method} ${path}: ${e.message}`)));
    // Without a body but with a Content-Length, only the head goes: the answer must come before any body.
    if (body === undefined && headers["content-length"]) req.flushHeaders();
    else req.end(body);
  });
}

describe("chat PWA: files through the worker to ejabberd's mod_http_upload", () => {
  let xmpp: EjabberdServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let bob: Peer;
  let page: Page;
  const errors: string[] = [];
  const alice = () => `alice@${xmpp.domain}`;
  const bobJid = () => `bob@${xmpp.domain}`;
  const view = chatView(
    () => page,
    () => bobJid(),
  );
  const bobFiles = () => filesReceived(bob);
  const bobUploads = (name: string, type: string, bytes: Uint8Array<ArrayBuffer>) =>
    peerUploads(bob, xmpp.domain, name, type, bytes);
  const bobSendsFile = (url: string, id: string) => peerSendsFile(bob, alice(), url, id);

  beforeAll(async () => {
    buildPwaIfStale();
    const port = await freePort();
    xmpp = await startEjabberd({
      users: PASSWORD,
      // Salted keys stored once: the PWA signs in again after a reload with its saved SCRAM keys, which a
      // fresh salt per login (ejabberd's default `plain` format, ejabberd_auth password_to_scram) refuses.
      extraConfig: "auth_password_format: scram",
      upload: {
        publicUrl: `http://127.0.0.1:${port}/upload`,
        maxSize: 2_000_000,
        // As README.md suggests, so that the worker's edge cache may keep downloads.
        customHeaders: { "Cache-Control": "public, max-age=600" },
      },
    });
    worker = await startWorker(
      { XMPP_WEBSOCKET_URL: xmpp.wsUrl, UPLOAD_URL: `http://127.0.0.1:${xmpp.httpPort}/upload/` },
      { port },
    );
    browser = await launchBrowser();
    bob = await startPeer(xmpp.wsUrl, xmpp.domain, "bob", PASSWORD.bob);
    page = await browser.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    page.on("pageerror", (e) => errors.push(String(e)));
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await bob?.xmpp.stop().catch(() => {});
    await worker?.stop();
    await xmpp?.stop();
  });

  it("alice's photo reaches bob as body + OOB URL; he downloads the bytes ejabberd stored, through the worker", async () => {
    await page.goto(`${worker.url}/`);
    await loginAndBefriendBob(page, { alice: alice(), bobJid: bobJid(), bob }, PASSWORD.alice);
    await view.openBobChat();
    // ejabberd's max_size (XEP-0363 max-file-size in its disco#info) shows before anything is picked.
    await expect
      .poll(() => page.getByTestId("attach").locator("label").first().getAttribute("title"), { timeout: WAIT })
      .toBe("Attach a file (up to 2.0 MB)");

    const photo = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: "#c05a28" } })
      .jpeg({ quality: 90 })
      .withExif({ IFD0: { Artist: "porthole-exif-marker" } })
      .toBuffer();
    await page.getByTestId("attach-file").setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: photo });

    await bob.waitFor("the photo message", (el) => !!el.getChild("x", NS_OOB));
    const [[body, url] = []] = bobFiles();
    expect(body).toBe(url);
    // ejabberd's shape: put_url / <sha1 of alice@localhost> / <40 random characters> / <file name>.
    expect(url).toMatch(new RegExp(`^${worker.url}/upload/[0-9a-f]{40}/[A-Za-z0-9]{40}/photo\\.jpg$`));
    const res = await fetch(String(url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    const viaWorker = Buffer.from(await res.arrayBuffer());
    const [, , sha, rand] = new URL(String(url)).pathname.split("/");
    const stored = readFileSync(join(xmpp.dir, "upload", String(sha), String(rand), "photo.jpg"));
    expect(viaWorker.equals(stored)).toBe(true);
    // The worker kept it in its edge cache (the Cache API of wrangler dev): gone from ejabberd, still served.
    rmSync(join(xmpp.dir, "upload", String(sha), String(rand), "photo.jpg"));
    expect((await fetch(String(url).replace(worker.url, `http://127.0.0.1:${xmpp.httpPort}`))).status).toBe(404);
    const cached = await fetch(String(url));
    expect(cached.status).toBe(200);
    expect(Buffer.from(await cached.arrayBuffer()).equals(stored)).toBe(true);
    const meta = await sharp(viaWorker).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(["jpeg", 1920, 1280, undefined]);
    const own = page.locator("li.msg--out [data-testid=file-image] img");
    await expect.poll(() => own.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: WAIT }).toBe(1920);
  });

  it("bob's PNG shows as a thumbnail, his PDF as a card, his MP4 as an inline player", async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 4, background: "#1a7f37" } })
      .png()
      .toBuffer();
    await bobSendsFile(await bobUploads("green.png", "image/png", png), "ej-png-1");
    const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
    await bobSendsFile(await bobUploads("notes.pdf", "application/pdf", pdf), "ej-pdf-1");
    const mp4 = smallMp4();
    const mp4Url = await bobUploads("clip.mp4", "video/mp4", new Uint8Array(mp4));
    await bobSendsFile(mp4Url, "ej-mp4-1");

    const inImage = page.locator("li.msg--in [data-testid=file-image] img");
    await expect.poll(() => inImage.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: WAIT }).toBe(64);
    const card = page.locator("li.msg--in [data-testid=file-card]");
    await expect.poll(() => card.textContent(), { timeout: WAIT }).toMatch(/notes\.pdf.*15 bytes · application\/pdf/);
    const video = page.locator("li.msg--in video");
    await expect.poll(() => video.getAttribute("src"), { timeout: WAIT }).toBe(mp4Url);
    // Its metadata loads through the worker (media-src 'self'): Chromium knows the clip's size.
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => `${v.videoWidth}x${v.videoHeight}`), { timeout: WAIT })
      .toBe("160x120");
    // A video URL on this host but outside /upload/ is only a link (nothing inline but the upload path).
    const elsewhere = `${worker.url}/media/clip.mp4`;
    await bobSendsFile(elsewhere, "ej-mp4-2");
    const link = page.locator("li.msg--in [data-testid=file-link]");
    await expect.poll(() => link.getAttribute("href"), { timeout: WAIT }).toBe(elsewhere);
    expect(await page.locator("li.msg--in video").count()).toBe(1);
    await screenshotViews(page, "pwa-files-ejabberd");
    await shootBothSchemes(page, `${SHOTS}/pwa-files-ejabberd-check`);
    expect(errors).toEqual([]);
  });

  it("refuses a file over ejabberd's max_size before uploading; a file picked offline arrives once after a reload", async () => {
    const before = bobFiles().length;
    await page
      .getByTestId("attach-file")
      .setInputFiles({ name: "big.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(2_500_000, 7) });
    await expect
      .poll(() => page.getByRole("alert").allTextContents(), { timeout: WAIT })
      .toContainEqual(expect.stringContaining("big.bin is 2.5 MB: this server takes files up to 2.0 MB."));

    await browser.setOffline(true);
    await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).not.toContain("Online");
    await page
      .getByTestId("attach-file")
      .setInputFiles({ name: "offline.txt", mimeType: "text/plain", buffer: Buffer.from("picked offline\n") });
    await expect.poll(() => page.locator("[data-testid=file-pending]").count(), { timeout: WAIT }).toBe(1);
    await page.reload();
    await view.openBobChat();
    await expect.poll(() => page.locator("[data-testid=file-pending]").count(), { timeout: WAIT }).toBe(1);
    await browser.setOffline(false);
    const state = async () =>
      [
        await view.connection().textContent(),
        ...(await page.locator("[data-testid=file-pending]").allTextContents()),
        ...(await view.outStates()).slice(-2),
      ].join(" | ");
    await expect.poll(async () => (bobFiles().length > before ? "arrived" : await state()), { timeout: WAIT }).toBe("arrived");
    const sent = bobFiles().slice(before);
    expect(sent.map(([b]) => String(b).split("/").pop())).toEqual(["offline.txt"]);
    expect(await (await fetch(String(sent[0]?.[1]))).text()).toBe("picked offline\n");
    await expect.poll(() => page.locator("[data-testid=file-pending]").count(), { timeout: WAIT }).toBe(0);
    expect(bobFiles().slice(before)).toHaveLength(1);
  });

  it("hostile requests on ejabberd's URL shape get clean 4xx, from the worker or relayed from ejabberd", async () => {
    const [, , sha, rand] = new URL(String(bobFiles()[0]?.[1])).pathname.split("/");
    const slot = `/upload/${sha}/${rand}`;
    const w = worker.url;
    const plain = (r: { status: number; body: string }) => `${r.status} ${r.body.trim()}`;
    // Refused by the worker before anything reaches ejabberd.
    expect(plain(await raw(w, "GET", `${slot}/..%2f..%2fejabberd.yml`))).toMatch(/^400 Bad upload path/);
    // Dot segments are resolved before routing: this is the app's own /ejabberd.yml, never ejabberd's file.
    expect((await raw(w, "GET", `${slot}/%2e%2e/%2e%2e/%2e%2e/ejabberd.yml`)).body).not.toContain("mod_http_upload");
    expect((await raw(w, "GET", "/upload/../../../../etc/passwd")).body).not.toContain("root:");
    expect(plain(await raw(w, "DELETE", `${slot}/photo.jpg`))).toMatch(
      /^405 Method not allowed: the upload path takes PUT, GET and HEAD$/,
    );
    expect(plain(await raw(w, "OPTIONS", `${slot}/photo.jpg`))).toMatch(/^405 /);
    const huge = await raw(w, "PUT", `${slot}/big.bin`, { "content-length": "1000000000000" });
    expect(plain(huge)).toMatch(/^413 Payload too large/);
    // Relayed from ejabberd: a file it does not have, a slot never given, a used slot, a wrong size.
    expect((await raw(w, "GET", `${slot}/missing.jpg`)).status).toBe(404);
    const made = `/upload/${sha}/${"x".repeat(40)}/made-up.bin`;
    expect((await raw(w, "PUT", made, { "content-length": "3" }, new Uint8Array(3))).status).toBe(403);
    expect((await raw(w, "PUT", `${slot}/photo.jpg`, { "content-length": "3" }, new Uint8Array(3))).status).toBe(403);
    const answer: XmlElement = await bob.xmpp.iqCaller.request(
      xml(
        "iq",
        { type: "get", to: `upload.${xmpp.domain}` },
        xml("request", { xmlns: NS_UPLOAD, filename: "ten.bin", size: "10", "content-type": "application/octet-stream" }),
      ),
    );
    const put = new URL(String(answer.getChild("slot", NS_UPLOAD)?.getChild("put")?.attrs.url));
    expect((await raw(w, "PUT", put.pathname, { "content-length": "5" }, new Uint8Array(5))).status).toBe(413);
    // Another Host header changes nothing: the worker forwards to UPLOAD_URL only, by path.
    const viaOtherHost = await raw(w, "GET", `${slot}/photo.jpg`, { host: "evil.test" });
    expect(viaOtherHost.status).not.toBe(502);
  });
});
