// The contact features of the chat PWA against real Prosody 0.12 (pep, vcard_legacy, blocklist,
// csi_simple) in Chromium, with bob as a second client that behaves like Conversations:
// - adding bob pre-approves him (RFC 6121 §3.4): his request back is accepted by the server, alice is
//   never asked; the row shows the chosen name and initials, and a confirmation;
// - alice's presence carries XEP-0115 caps whose ver the test recomputes from her disco#info answer;
// - bob publishes a XEP-0084 avatar exactly as Conversations' IqGenerator.publishAvatar and
//   publishAvatarMetadata build it (data, then metadata, publish-options pubsub#access_model=open:
//   PublishOptions.openAccess), and the PWA shows it (Prosody pushes it because alice's caps ask
//   urn:xmpp:avatar:metadata+notify);
// - alice picks a 400x300 image in settings: bob reads a square ≤192 px avatar from her PEP nodes and
//   the same photo from her vCard-temp (XEP-0153), each matching its SHA-1;
// - blocking bob (XEP-0191) makes the server bounce his messages; unblocking from settings lets them in;
// - a hidden page sends <inactive/> (XEP-0352): Prosody holds bob's presence until the page is visible.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Element as XmlElement, xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { tempDir } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, chatView, openMenu, type Peer, startPeer, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";

const PUBSUB = "http://jabber.org/protocol/pubsub";
const sha1 = (b: Buffer) => createHash("sha1").update(b).digest("hex");

describe("chat PWA: contacts, avatars, caps, blocking, client state", () => {
  let prosody: ProsodyServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let bob: Peer;
  let page: Page;
  let alice: string;
  let bobJid: string;
  const shots = tempDir("contacts-shots");
  const errors: string[] = [];
  const view = chatView(
    () => page,
    () => bobJid,
  );
  const iq = (el: ReturnType<typeof xml>) => bob.xmpp.iqCaller.request(el, WAIT);

  beforeAll(async () => {
    buildPwaIfStale();
    prosody = await startProsody({
      users: { alice: "alice-pw", bob: "bob-pw" },
      modules: ["pep", "vcard_legacy", "blocklist"],
    });
    alice = `alice@${prosody.domain}`;
    bobJid = `bob@${prosody.domain}`;
    worker = await startWorker({ XMPP_WEBSOCKET_URL: prosody.wsUrl });
    browser = await launchBrowser();
    bob = await startPeer(prosody.wsUrl, prosody.domain, "bob", "bob-pw");
    page = await browser.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    page.on("pageerror", (e) => errors.push(String(e)));
    console.log(`screenshots: ${shots}`);
  });

  afterAll(async () => {
    await bob?.xmpp.stop().catch(() => {});
    await browser?.close();
    await worker?.stop();
    await prosody?.stop();
  });

  it("runs on a Prosody with PEP, vCard-temp, blocking and CSI", async () => {
    const info = await iq(
      xml("iq", { type: "get", to: prosody.domain }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })),
    );
    const features =
      info
        .getChild("query")
        ?.getChildren("feature")
        .map((f) => f.attrs.var) ?? [];
    expect(features).toEqual(expect.arrayContaining(["urn:xmpp:blocking", "vcard-temp"]));
    const mine = await iq(
      xml("iq", { type: "get", to: bobJid }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })),
    );
    expect(
      mine
        .getChild("query")
        ?.getChildren("identity")
        .map((i) => `${i.attrs.category}/${i.attrs.type}`),
    ).toContain("pubsub/pep");
  });

  it("adding bob pre-approves him: his request back never reaches alice; name, initials and a confirmation show", async () => {
    await page.goto(`${worker.url}/`);
    await page.getByLabel("Address", { exact: true }).fill(alice);
    await page.getByLabel("Password").fill("alice-pw");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).toContain("Online");
    await page.getByText("Add contact", { exact: true }).click();
    await page.getByLabel("Contact address").fill(bobJid);
    await page.getByLabel("Contact name").fill("Bob Builder");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(() => page.getByTestId("contact-notice").textContent(), { timeout: WAIT }).toContain(`Added ${bobJid}`);
    // bob's peer approved alice's request (chat-support.ts); now he asks back, as Conversations does.
    await bob.waitFor("alice's subscription request", (el) => el.is("presence") && el.attrs.type === "subscribe");
    await bob.xmpp.send(xml("presence", { type: "subscribe", to: alice }));
    // Approved by alice's server itself: her presence reaches bob.
    await bob.waitFor(
      "alice's presence",
      (el) => el.is("presence") && !el.attrs.type && String(el.attrs.from).startsWith(`${alice}/`),
    );
    await expect.poll(() => view.row().textContent(), { timeout: WAIT }).toContain("Online");
    expect(await view.row().locator(".contact__name").textContent()).toBe("Bob Builder");
    expect(await view.row().locator(".avatar--initials").textContent()).toBe("BB");
    expect(await page.getByRole("heading", { name: "Contact requests" }).count()).toBe(0);
    await shootBothSchemes(page, join(shots, "roster-initials-360"));
  });

  it("advertises XEP-0115 caps whose ver recomputes from its disco#info answer", async () => {
    const presence = await bob.waitFor(
      "alice's presence with caps",
      (el) => el.is("presence") && !!el.getChild("c", "http://jabber.org/protocol/caps"),
    );
    const c = presence.getChild("c", "http://jabber.org/protocol/caps") as XmlElement;
    expect(c.attrs.hash).toBe("sha-1");
    const answer = await iq(
      xml(
        "iq",
        { type: "get", to: presence.attrs.from },
        xml("query", { xmlns: "http://jabber.org/protocol/disco#info", node: `${c.attrs.node}#${c.attrs.ver}` }),
      ),
    );
    const query = answer.getChild("query") as XmlElement;
    expect(query.attrs.node).toBe(`${c.attrs.node}#${c.attrs.ver}`);
    // XEP-0115 §5.1, recomputed here independently.
    const ids = query
      .getChildren("identity")
      .map((i) => `${i.attrs.category}/${i.attrs.type}/${i.attrs["xml:lang"] ?? ""}/${i.attrs.name ?? ""}`);
    const vars = query.getChildren("feature").map((f) => String(f.attrs.var));
    const s = [...ids.sort(), ...vars.sort()].map((x) => `${x}<`).join("");
    expect(createHash("sha1").update(s, "utf8").digest("base64")).toBe(c.attrs.ver);
    expect(vars).toEqual(expect.arrayContaining(["urn:xmpp:avatar:metadata+notify", "http://jabber.org/protocol/nick+notify"]));
  });

  it("shows bob's avatar published as Conversations publishes it", async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#c2185b" } })
      .png()
      .toBuffer();
    const id = sha1(png);
    const openAccess = () =>
      xml(
        "publish-options",
        {},
        xml(
          "x",
          { xmlns: "jabber:x:data", type: "submit" },
          xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, `${PUBSUB}#publish-options`)),
          xml("field", { var: "pubsub#access_model" }, xml("value", {}, "open")),
        ),
      );
    await iq(
      xml(
        "iq",
        { type: "set" },
        xml(
          "pubsub",
          { xmlns: PUBSUB },
          xml(
            "publish",
            { node: "urn:xmpp:avatar:data" },
            xml("item", { id }, xml("data", { xmlns: "urn:xmpp:avatar:data" }, png.toString("base64"))),
          ),
          openAccess(),
        ),
      ),
    );
    await iq(
      xml(
        "iq",
        { type: "set" },
        xml(
          "pubsub",
          { xmlns: PUBSUB },
          xml(
            "publish",
            { node: "urn:xmpp:avatar:metadata" },
            xml(
              "item",
              { id },
              xml(
                "metadata",
                { xmlns: "urn:xmpp:avatar:metadata" },
                xml("info", { bytes: String(png.length), id, height: "64", width: "64", type: "image/png" }),
              ),
            ),
          ),
          openAccess(),
        ),
      ),
    );
    const img = view.row().locator("img.avatar");
    await img.waitFor({ timeout: WAIT });
    expect(await img.getAttribute("src")).toBe(`data:image/png;base64,${png.toString("base64")}`);
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(64);
  });

  it("publishes alice's avatar, picked in settings, to PEP and vCard-temp: square, at most 192 px", async () => {
    const picked = join(shots, "picked.png");
    await sharp({ create: { width: 400, height: 300, channels: 3, background: "#1565c0" } })
      .png()
      .toFile(picked);
    await openMenu(page, "Menu");
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByTestId("avatar-file").setInputFiles(picked);
    await page.locator(".settings__avatar img.avatar").waitFor({ timeout: WAIT });
    const meta = await iq(
      xml("iq", { type: "get", to: alice }, xml("pubsub", { xmlns: PUBSUB }, xml("items", { node: "urn:xmpp:avatar:metadata" }))),
    );
    const info = meta
      .getChild("pubsub")
      ?.getChild("items")
      ?.getChild("item")
      ?.getChild("metadata")
      ?.getChild("info") as XmlElement;
    // Prosody's mod_vcard_legacy republishes the metadata from the vCard (bytes, id, type only).
    expect(info.attrs.type).toBe("image/png");
    const data = await iq(
      xml(
        "iq",
        { type: "get", to: alice },
        xml("pubsub", { xmlns: PUBSUB }, xml("items", { node: "urn:xmpp:avatar:data" }, xml("item", { id: info.attrs.id }))),
      ),
    );
    const bytes = Buffer.from(data.getChild("pubsub")?.getChild("items")?.getChild("item")?.getChildText("data") ?? "", "base64");
    expect(sha1(bytes)).toBe(info.attrs.id);
    expect(bytes.length).toBe(Number(info.attrs.bytes));
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 192, height: 192, format: "png" });
    const card = await iq(xml("iq", { type: "get", to: alice }, xml("vCard", { xmlns: "vcard-temp" })));
    const binval = card.getChild("vCard")?.getChild("PHOTO")?.getChildText("BINVAL") ?? "";
    expect(sha1(Buffer.from(binval.replace(/\s+/g, ""), "base64"))).toBe(info.attrs.id);
    await shootBothSchemes(page, join(shots, "settings-avatar-360"));
    await page.getByRole("button", { name: "Close settings" }).click();
  });

  it("blocking bob makes the server bounce his messages; unblocking in settings lets them in", async () => {
    await view.openBobChat();
    await openMenu(page, "Chat options");
    await shootBothSchemes(page, join(shots, "chat-menu-360"));
    await page.getByRole("button", { name: "Block", exact: true }).click();
    await page.getByTestId("blocked-notice").waitFor({ timeout: WAIT });
    const id = "blocked-1";
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id }, xml("body", {}, "while blocked")));
    const bounce = await bob.waitFor("the bounce", (el) => el.is("message") && el.attrs.type === "error" && el.attrs.id === id);
    expect(bounce.getChild("error")?.getChild("service-unavailable")).toBeTruthy();
    await page.setViewportSize({ width: 1280, height: 800 });
    await shootBothSchemes(page, join(shots, "chat-blocked-1280"));
    await page.setViewportSize({ width: 360, height: 640 });
    await openMenu(page, "Menu");
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByRole("button", { name: `Unblock ${bobJid}` }).click();
    await page.getByText("You block nobody.", { exact: false }).waitFor({ timeout: WAIT });
    await page.getByRole("button", { name: "Close settings" }).click();
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "after-1" }, xml("body", {}, "after unblock")));
    await view.openBobChat();
    await expect.poll(view.shown, { timeout: WAIT }).toContain("after unblock");
    expect(await view.shown()).not.toContain("while blocked");
    await page.getByRole("button", { name: "Back to contacts" }).click();
  });

  it("a hidden page tells the server it is inactive: bob's presence is held until it is visible again", async () => {
    const log = () => readFileSync(join(prosody.dir, "prosody.log"), "utf8");
    const setVisibility = (state: "hidden" | "visible") =>
      page.evaluate((s) => {
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => s });
        document.dispatchEvent(new Event("visibilitychange"));
      }, state);
    const count = (re: RegExp) => log().match(re)?.length ?? 0;
    // Prosody logs the attributes in no fixed order (xml:lang may come first).
    const INACTIVE = /Received\[c2s\]: <inactive [^>]*xmlns='urn:xmpp:csi:0'/g;
    const ACTIVE = /Received\[c2s\]: <active [^>]*xmlns='urn:xmpp:csi:0'/g;
    const holdsBefore = log().split("Holding buffer").length;
    const [inactiveBefore, activeBefore] = [count(INACTIVE), count(ACTIVE)];
    await setVisibility("hidden");
    await expect.poll(() => count(INACTIVE), { timeout: WAIT }).toBe(inactiveBefore + 1);
    await bob.xmpp.send(xml("presence", {}, xml("status", {}, "out to lunch")));
    await expect.poll(() => log().split("Holding buffer").length, { timeout: WAIT }).toBeGreaterThan(holdsBefore);
    expect(await view.row().textContent()).not.toContain("out to lunch");
    await setVisibility("visible");
    await expect.poll(() => view.row().textContent(), { timeout: WAIT }).toContain("out to lunch");
    expect(count(ACTIVE)).toBe(activeBefore + 1);
  });

  it("removing bob, confirmed, keeps his conversation under the name I gave him, also after a reload", async () => {
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "before-removal" }, xml("body", {}, "before removal")));
    await view.openBobChat();
    await openMenu(page, "Chat options");
    await page.getByRole("button", { name: "Remove contact" }).click();
    await page.getByRole("button", { name: "Confirm remove" }).click();
    await expect.poll(() => page.getByTestId("contact-notice").textContent(), { timeout: WAIT }).toContain(`Removed ${bobJid}`);
    const conversation = page.locator(`.request__jid[data-jid="${bobJid}"]`);
    await expect.poll(() => view.row().count(), { timeout: WAIT }).toBe(0);
    await expect.poll(() => conversation.textContent(), { timeout: WAIT }).toContain("Bob Builder");
    await page.reload();
    await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).toContain("Online");
    if (await page.getByRole("button", { name: "Back to contacts" }).isVisible())
      await page.getByRole("button", { name: "Back to contacts" }).click();
    await expect.poll(() => conversation.textContent(), { timeout: WAIT }).toContain("Bob Builder");
  });

  it("raised no error in the page", () => {
    expect(errors).toEqual([]);
  });
});
