// Avatars and nicknames as receive-contact-event.ts, receive-presence.ts, avatar-lookup.ts and
// set-my-avatar.ts handle them. Stanzas are built as Conversations builds them (IqGenerator.java:
// publishAvatar / publishAvatarMetadata, retrievePepAvatar, retrieveVcardAvatar): a XEP-0084
// notification is fetched, checked against its SHA-1 and shown; bytes that do not match never show;
// a XEP-0153 vCard hash is used until a PEP avatar exists; the device keeps them for the next load.
import { createHash } from "node:crypto";
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { memoryAvatarCache } from "../../../web/src/model/avatars/avatar-cache";
import { type TestApp, testApp } from "../support/app";

/** The room bookmarks (XEP-0402) fetched at every session start are pubsub too, and not avatars. */
const isBookmarks = (iq: Element) => iq.getChild("pubsub", PUBSUB)?.getChild("items")?.attrs.node === "urn:xmpp:bookmarks:1";

const PNG_A = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const PNG_B = Buffer.concat([PNG_A, Buffer.from([0])]);
const sha1 = (b: Buffer) => createHash("sha1").update(b).digest("hex");
const PUBSUB = "http://jabber.org/protocol/pubsub";

let app: TestApp;
let cache = memoryAvatarCache();
/** What bob's PEP data node and vCard hold. */
let pepData = new Map<string, Buffer>();
let vcardPhoto: Buffer | null = null;

function respond(iq: ReturnType<typeof xml>) {
  const items = iq.getChild("pubsub", PUBSUB)?.getChild("items");
  if (items?.attrs.node === "urn:xmpp:avatar:data") {
    const id = items.getChild("item")?.attrs.id as string;
    const data = pepData.get(id);
    return xml(
      "iq",
      { type: "result" },
      xml(
        "pubsub",
        { xmlns: PUBSUB },
        xml(
          "items",
          { node: "urn:xmpp:avatar:data" },
          data ? xml("item", { id }, xml("data", { xmlns: "urn:xmpp:avatar:data" }, data.toString("base64"))) : null,
        ),
      ),
    );
  }
  if (iq.getChild("vCard", "vcard-temp") && iq.attrs.type === "get") {
    return xml(
      "iq",
      { type: "result" },
      xml(
        "vCard",
        { xmlns: "vcard-temp" },
        xml("FN", {}, "Bob"),
        vcardPhoto
          ? xml(
              "PHOTO",
              {},
              xml("TYPE", {}, "image/png"),
              xml("BINVAL", {}, vcardPhoto.toString("base64").replace(/(.{20})/g, "$1\n")),
            )
          : null,
      ),
    );
  }
  return null;
}

/** A XEP-0084 §4.2 metadata notification as Prosody's mod_pep relays Conversations' publication. */
function metadataEvent(from: string, bytes: Buffer | null, id = bytes ? sha1(bytes) : "") {
  const info = bytes ? xml("info", { bytes: String(bytes.length), id, height: "1", width: "1", type: "image/png" }) : null;
  return xml(
    "message",
    { from, to: "alice@example.org/web", type: "headline" },
    xml(
      "event",
      { xmlns: "http://jabber.org/protocol/pubsub#event" },
      xml(
        "items",
        { node: "urn:xmpp:avatar:metadata" },
        xml("item", { id: id || "current" }, xml("metadata", { xmlns: "urn:xmpp:avatar:metadata" }, info)),
      ),
    ),
  );
}

/** Delivers a stanza and waits for what it starts (PEP events are parsed by code loaded on first use). */
const receive = async (el: ReturnType<typeof xml>) => {
  app.server.last.receive(el);
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await app.facade.idle();
  }
};
const image = (jid = "bob@example.org") => app.facade.model.avatars.images.value.get(jid);
const dataUrl = (b: Buffer) => `data:image/png;base64,${b.toString("base64")}`;

beforeEach(async () => {
  cache = memoryAvatarCache();
  pepData = new Map();
  vcardPhoto = null;
  app = testApp(undefined, [], undefined, undefined, "", cache);
  app.server.responders.push(respond);
  await app.login();
});

describe("XEP-0084 avatars", () => {
  it("a metadata notification is fetched by its id, checked and shown", async () => {
    pepData.set(sha1(PNG_A), PNG_A);
    await receive(metadataEvent("bob@example.org", PNG_A));
    expect(app.server.last.requests.at(-1)?.toString()).toBe(
      `<iq type="get" to="bob@example.org"><pubsub xmlns="${PUBSUB}"><items node="urn:xmpp:avatar:data"><item id="${sha1(PNG_A)}"/></items></pubsub></iq>`,
    );
    expect(image()).toBe(dataUrl(PNG_A));
  });

  it("bytes that do not hash to the announced id are never shown", async () => {
    pepData.set(sha1(PNG_A), PNG_B);
    await receive(metadataEvent("bob@example.org", PNG_A));
    expect(image()).toBeUndefined();
  });

  it("an empty <metadata/> removes the avatar (§4.6)", async () => {
    pepData.set(sha1(PNG_A), PNG_A);
    await receive(metadataEvent("bob@example.org", PNG_A));
    await receive(metadataEvent("bob@example.org", null));
    expect(image()).toBeUndefined();
  });

  it("a known hash comes from the device without asking the server; a reload restores avatars offline", async () => {
    pepData.set(sha1(PNG_A), PNG_A);
    await receive(metadataEvent("bob@example.org", PNG_A));
    await receive(metadataEvent("carol@example.org", PNG_A));
    expect(app.server.last.requests.filter((r) => r.getChild("pubsub", PUBSUB) && !isBookmarks(r))).toHaveLength(1);
    expect(image("carol@example.org")).toBe(dataUrl(PNG_A));
    const again = testApp(undefined, [], undefined, undefined, "", cache);
    again.server.reachable.clear();
    await again.login();
    expect(again.facade.model.avatars.images.value.get("bob@example.org")).toBe(dataUrl(PNG_A));
  });
});

describe("XEP-0153 vCard avatars", () => {
  const photoPresence = (hash: string) =>
    xml("presence", { from: "bob@example.org/desk" }, xml("x", { xmlns: "vcard-temp:x:update" }, xml("photo", {}, hash)));

  it("a photo hash in presence fetches the vCard; a PEP avatar then wins over later vCard hashes", async () => {
    vcardPhoto = PNG_B;
    await receive(photoPresence(sha1(PNG_B)));
    expect(app.server.last.requests.at(-1)?.toString()).toBe(
      '<iq type="get" to="bob@example.org"><vCard xmlns="vcard-temp"/></iq>',
    );
    expect(image()).toBe(dataUrl(PNG_B));
    pepData.set(sha1(PNG_A), PNG_A);
    await receive(metadataEvent("bob@example.org", PNG_A));
    expect(image()).toBe(dataUrl(PNG_A));
    await receive(photoPresence(sha1(PNG_B)));
    await receive(photoPresence(""));
    expect(image()).toBe(dataUrl(PNG_A));
  });

  it("a vCard photo that does not match the hash is refused", async () => {
    vcardPhoto = PNG_A;
    await receive(photoPresence(sha1(PNG_B)));
    expect(image()).toBeUndefined();
  });
});

describe("XEP-0172 nicknames", () => {
  it("come from a subscription request and from PEP, and name a contact that has no roster name", async () => {
    await receive(
      xml(
        "presence",
        { from: "dave@example.org", type: "subscribe" },
        xml("nick", { xmlns: "http://jabber.org/protocol/nick" }, "  Dave\n D. "),
      ),
    );
    expect(app.facade.model.avatars.nicks.value.get("dave@example.org")).toBe("Dave D.");
    await receive(
      xml(
        "message",
        { from: "erin@example.org", type: "headline" },
        xml(
          "event",
          { xmlns: "http://jabber.org/protocol/pubsub#event" },
          xml(
            "items",
            { node: "http://jabber.org/protocol/nick" },
            xml("item", { id: "current" }, xml("nick", { xmlns: "http://jabber.org/protocol/nick" }, "Erin")),
          ),
        ),
      ),
    );
    expect(app.facade.model.avatars.nicks.value.get("erin@example.org")).toBe("Erin");
    // Adding dave without a name keeps his nickname as the roster name.
    await app.facade.send("ADD_CONTACT", { jid: "dave@example.org", name: "" });
    expect(app.server.last.requests.at(-1)?.toString()).toContain('<item jid="dave@example.org" name="Dave D."/>');
  });
});

describe("my avatar", () => {
  it("publishes XEP-0084 data, then metadata (open access), then my vCard PHOTO, other vCard fields kept", async () => {
    const base64 = PNG_A.toString("base64");
    await app.facade.send("SET_MY_AVATAR", { type: "image/png", base64, width: 1, height: 1 });
    const [data, meta, get, set] = app.server.last.requests.slice(-4);
    const hash = sha1(PNG_A);
    expect(data?.toString()).toContain(
      `<publish node="urn:xmpp:avatar:data"><item id="${hash}"><data xmlns="urn:xmpp:avatar:data">${base64}</data></item></publish>`,
    );
    expect(data?.toString()).toContain('<field var="pubsub#access_model"><value>open</value></field>');
    expect(meta?.toString()).toContain(
      `<publish node="urn:xmpp:avatar:metadata"><item id="${hash}"><metadata xmlns="urn:xmpp:avatar:metadata"><info bytes="${PNG_A.length}" id="${hash}" height="1" width="1" type="image/png"/></metadata></item></publish>`,
    );
    expect(get?.toString()).toBe('<iq type="get"><vCard xmlns="vcard-temp"/></iq>');
    expect(set?.toString()).toBe(
      `<iq type="set"><vCard xmlns="vcard-temp"><FN>Bob</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>${base64}</BINVAL></PHOTO></vCard></iq>`,
    );
    expect(image("alice@example.org")).toBe(dataUrl(PNG_A));
  });

  it("refuses an image over 192 px or of another type", async () => {
    const base64 = PNG_A.toString("base64");
    await app.facade.send("SET_MY_AVATAR", { type: "image/png", base64, width: 193, height: 10 });
    await app.facade.send("SET_MY_AVATAR", { type: "image/svg+xml", base64, width: 1, height: 1 });
    expect(app.heard.filter((h) => h.name === "COMMAND_FAILED")).toHaveLength(2);
    expect(app.server.last.requests.some((r) => r.getChild("pubsub", PUBSUB) && !isBookmarks(r))).toBe(false);
  });
});
