// Files and pictures (XEP-0363 HTTP File Upload, XEP-0066 out-of-band URLs) end to end: Chromium →
// wrangler dev (/upload/ forwarded to UPLOAD_URL) → real Prosody 0.12 with mod_http_file_share, whose
// slot URLs already point at the worker (http_file_share_base_url). Bob is a Node client that sends
// and reads files the way Conversations does (MessageGenerator.generateChat: body = URL plus
// <x xmlns='jabber:x:oob'><url/></x>; slot request and PUT as XEP-0363 §4-5).
import type { BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotViews } from "../support/browser";
import { freePort } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, type ChatRig, chatView, loginAndBefriendBob, type Peer, startPeer, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";
import { filesReceived, NS_OOB, peerSendsFile, peerUploads } from "./files-support";

const PASSWORD = { alice: "alice-files-1", bob: "bob-files-1" };
const SHOTS = process.env.PORTHOLE_SCREENSHOTS ?? "/tmp";

describe("chat PWA: files and pictures through the worker", () => {
  let prosody: ProsodyServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let bob: Peer;
  let page: Page;
  let rig: ChatRig;
  const errors: string[] = [];
  const bobJid = () => `bob@${prosody.domain}`;
  const view = chatView(
    () => page,
    () => bobJid(),
  );
  const bobFiles = () => filesReceived(bob);
  const bobUploads = (name: string, type: string, bytes: Uint8Array<ArrayBuffer>) =>
    peerUploads(bob, prosody.domain, name, type, bytes);
  const bobSendsFile = (url: string, id: string) => peerSendsFile(bob, `alice@${prosody.domain}`, url, id);

  beforeAll(async () => {
    buildPwaIfStale();
    const port = await freePort();
    prosody = await startProsody({
      users: PASSWORD,
      fileShare: { externalUrl: `http://127.0.0.1:${port}/`, sizeLimit: 2_000_000 },
    });
    worker = await startWorker(
      { XMPP_WEBSOCKET_URL: prosody.wsUrl, UPLOAD_URL: `http://127.0.0.1:${prosody.httpPort}/upload/` },
      { port },
    );
    browser = await launchBrowser();
    bob = await startPeer(prosody.wsUrl, prosody.domain, "bob", PASSWORD.bob);
    page = await browser.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    page.on("pageerror", (e) => errors.push(String(e)));
    rig = {
      prosody,
      worker,
      browser,
      bob,
      alice: `alice@${prosody.domain}`,
      bobJid: bobJid(),
      errors,
      newPage: async () => page,
      stop: async () => {},
    };
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await bob?.xmpp.stop().catch(() => {});
    await worker?.stop();
    await prosody?.stop();
  });

  it("sends a photo resized and without EXIF; bob gets body + OOB URL and the same bytes as the server holds", async () => {
    await page.goto(`${worker.url}/`);
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    await view.openBobChat();
    // The server's limit shows before anything is picked (XEP-0363 max-file-size: 2 MB).
    await expect
      .poll(() => page.getByTestId("attach").locator("label").first().getAttribute("title"), { timeout: WAIT })
      .toBe("Attach a file (up to 2.0 MB)");

    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 200, g: 90, b: 40 } } })
      .jpeg({ quality: 95 })
      .withExif({ IFD0: { Artist: "porthole-exif-marker", ImageDescription: "secret place" } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    await page.getByTestId("attach-file").setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: photo });

    const [[body, url] = []] = await (async () => {
      await bob.waitFor("a file message", (el) => !!el.getChild("x", NS_OOB));
      return bobFiles();
    })();
    expect(body).toBe(url);
    expect(url).toMatch(new RegExp(`^${worker.url}/upload/[^/]+/photo\\.jpg$`));
    const viaWorker = new Uint8Array(await (await fetch(String(url))).arrayBuffer());
    const direct = new Uint8Array(
      await (await fetch(String(url).replace(worker.url, `http://127.0.0.1:${prosody.httpPort}`))).arrayBuffer(),
    );
    expect(Buffer.from(viaWorker).equals(Buffer.from(direct))).toBe(true);
    const meta = await sharp(viaWorker).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 1920, 1280]);
    expect(meta.exif).toBeUndefined();
    expect(Buffer.from(viaWorker).includes("porthole-exif-marker")).toBe(false);
    // Alice's own message shows the uploaded picture, loaded from this host.
    const own = page.locator("li.msg--out [data-testid=file-image] img");
    await expect.poll(() => own.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: WAIT }).toBe(1920);
    await expect.poll(view.outStates, { timeout: WAIT }).toEqual([":delivered"]);
  });

  it("shows bob's PNG inline, his PDF and SVG as download cards (never the SVG inline)", async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 4, background: "#1a7f37" } })
      .png()
      .toBuffer();
    const pngUrl = await bobUploads("green.png", "image/png", png);
    await bobSendsFile(pngUrl, "bob-png-1");
    const pdfUrl = await bobUploads("notes.pdf", "application/pdf", new TextEncoder().encode("%PDF-1.4\n%%EOF\n"));
    await bobSendsFile(pdfUrl, "bob-pdf-1");
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const svgUrl = await bobUploads("x.svg", "image/svg+xml", svg);
    await bobSendsFile(svgUrl, "bob-svg-1");

    const inImage = page.locator("li.msg--in [data-testid=file-image] img");
    await expect.poll(() => inImage.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: WAIT }).toBe(64);
    const cards = page.locator("li.msg--in [data-testid=file-card]");
    await expect
      .poll(() => cards.allTextContents(), { timeout: WAIT })
      .toEqual([
        expect.stringMatching(/notes\.pdf.*15 bytes · application\/pdf/),
        expect.stringMatching(/x\.svg.*image\/svg\+xml/),
      ]);
    expect(await page.locator("li.msg--in img[src$='.svg']").count()).toBe(0);
    // A picture on another host is not loaded (the CSP's img-src is this host): it is a link.
    const foreign = "https://images.elsewhere.test/cat.jpg";
    await bobSendsFile(foreign, "bob-foreign-1");
    const link = page.locator("li.msg--in [data-testid=file-link]");
    await expect.poll(() => link.getAttribute("href"), { timeout: WAIT }).toBe(foreign);
    expect(await page.locator(`img[src="${foreign}"]`).count()).toBe(0);
    // The SVG itself, opened from this host, is a sandboxed attachment.
    const svgRes = await fetch(svgUrl);
    expect(svgRes.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(svgRes.headers.get("content-security-policy")).toContain("sandbox");

    await screenshotViews(page, "pwa-files-chat");
    // WCAG AA contrast and axe-core (every rule) in light and dark, with thumbnails, cards and buttons on screen.
    await shootBothSchemes(page, `${SHOTS}/pwa-files-chat-check`);
  });

  it("attaches by paste and drop, refuses a file over the limit before uploading, plays bob's audio inline", async () => {
    const before = bobFiles().length;
    const outRows = () => page.locator("li.msg--out").count();
    // Over the server's 2 MB: refused with the limit named, nothing uploaded, nothing queued.
    const rowsBefore = await outRows();
    await page
      .getByTestId("attach-file")
      .setInputFiles({ name: "big.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(2_500_000, 7) });
    await expect
      .poll(() => page.getByRole("alert").allTextContents(), { timeout: WAIT })
      .toContainEqual(expect.stringContaining("big.bin is 2.5 MB: this server takes files up to 2.0 MB."));
    expect(await outRows()).toBe(rowsBefore);
    // The camera button asks for a photo from the camera (HTML Media Capture).
    expect(await page.getByTestId("attach-camera").getAttribute("capture")).toBe("environment");
    expect(await page.getByTestId("attach-camera").getAttribute("accept")).toBe("image/*");

    const png = (
      await sharp({ create: { width: 40, height: 30, channels: 3, background: "#8a5100" } })
        .png()
        .toBuffer()
    ).toString("base64");
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const paste = new DataTransfer();
      paste.items.add(new File([bytes], "pasted.png", { type: "image/png" }));
      document
        .querySelector("textarea")
        ?.dispatchEvent(new ClipboardEvent("paste", { clipboardData: paste, bubbles: true, cancelable: true }));
    }, png);
    await bob.waitFor("the pasted picture", (el) => /pasted\.png$/.test(el.getChildText("body") ?? ""));
    await page.evaluate(() => {
      const drop = new DataTransfer();
      drop.items.add(new File(["milk\neggs\n"], "list.txt", { type: "text/plain" }));
      const chat = document.querySelector("section.chat");
      chat?.dispatchEvent(new DragEvent("dragover", { dataTransfer: drop, bubbles: true, cancelable: true }));
      chat?.dispatchEvent(new DragEvent("drop", { dataTransfer: drop, bubbles: true, cancelable: true }));
    });
    await bob.waitFor("the dropped file", (el) => /list\.txt$/.test(el.getChildText("body") ?? ""));
    expect(
      bobFiles()
        .slice(before)
        .map(([b]) => String(b).split("/").pop()),
    ).toEqual(["pasted.png", "list.txt"]);
    const listUrl = String(bobFiles().at(-1)?.[1]);
    expect(await (await fetch(listUrl)).text()).toBe("milk\neggs\n");

    // Bob's recording plays inline from this host (media-src 'self'): its metadata loads through the worker.
    const wav = Buffer.alloc(44 + 8000);
    wav.write("RIFF", 0);
    wav.writeUInt32LE(36 + 8000, 4);
    wav.write("WAVEfmt ", 8);
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(8000, 24);
    wav.writeUInt32LE(16000, 28);
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write("data", 36);
    wav.writeUInt32LE(8000, 40);
    await bobSendsFile(await bobUploads("beep.wav", "audio/wav", new Uint8Array(wav)), "bob-wav-1");
    const audio = page.locator("li.msg--in audio");
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration), { timeout: WAIT }).toBeCloseTo(0.5, 2);
  });

  it("keeps a photo picked offline in the outbox with its preview, across a reload, and sends it once, in order", async () => {
    const before = bobFiles().length;
    await browser.setOffline(true);
    await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).not.toContain("Online");
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#0b57d0" } })
      .jpeg()
      .toBuffer();
    await page.getByTestId("attach-file").setInputFiles({ name: "offline.jpg", mimeType: "image/jpeg", buffer: photo });
    await view.send("after the offline photo");
    const preview = page.locator("[data-testid=file-pending] img");
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: WAIT }).toBe(800);

    await page.reload();
    await view.openBobChat();
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: WAIT }).toBe(800);
    // Bob's PDF card reads as before, offline after the reload: its size and type were kept on the device.
    const pdfCard = page.locator("li.msg--in [data-testid=file-card]", { hasText: "notes.pdf" });
    await expect.poll(() => pdfCard.textContent(), { timeout: WAIT }).toMatch(/notes\.pdf.*15 bytes · application\/pdf/);
    await screenshotViews(page, "pwa-files-pending");
    await shootBothSchemes(page, `${SHOTS}/pwa-files-pending-check`);
    expect(bobFiles().length).toBe(before);

    await browser.setOffline(false);
    await bob.waitForBodies((b) => b.includes("after the offline photo"), "the text after the photo");
    const files = bobFiles().slice(before);
    // Why the photo did not leave, if it did not (the message's own error line).
    const why = await page.locator(".file__error").allTextContents();
    expect(files, why.join(" | ")).toHaveLength(1);
    expect(files[0]?.[0]).toMatch(/\/upload\/[^/]+\/offline\.jpg$/);
    // In order: the photo left before the text typed after it.
    const order = bob.bodies();
    expect(order.indexOf(String(files[0]?.[0]))).toBeLessThan(order.indexOf("after the offline photo"));
    // Every message alice sent is delivered (read through the whole windowed log, not only the rows on screen).
    await expect
      .poll(async () => (await view.outStates()).map((s) => s.split(":").pop()), { timeout: WAIT })
      .toEqual(Array(5).fill("delivered"));
    expect(bobFiles().slice(before)).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
