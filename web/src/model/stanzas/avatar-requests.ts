/**
 * The requests behind avatars: the XEP-0084 data item request (§4.3) and my own publication (§4.1,
 * §4.2), built as Conversations builds them (IqGenerator.publishAvatar / publishAvatarMetadata /
 * retrievePepAvatar, with PublishOptions.openAccess: pubsub#access_model "open"); the XEP-0054
 * vCard-temp request (IqGenerator.retrieveVcardAvatar), its PHOTO (XEP-0153 §3.1) and my own; SHA-1
 * and base64 helpers for the bytes.
 */
import { type Element, xml } from "@xmpp/xml";
import { type AvatarImage, NS_AVATAR_DATA, NS_AVATAR_METADATA, NS_PUBSUB, NS_VCARD } from "./avatars";

/** Requests one avatar data item by its id (XEP-0084 §4.3, as Conversations' retrievePepAvatar). */
export function avatarDataGet(jid: string, hash: string): Element {
  return xml(
    "iq",
    { type: "get", to: jid },
    xml("pubsub", { xmlns: NS_PUBSUB }, xml("items", { node: NS_AVATAR_DATA }, xml("item", { id: hash }))),
  );
}

/** The base64 of an avatar data result, or null. */
export function parseAvatarData(iq: Element): string | null {
  const items = iq.getChild("pubsub", NS_PUBSUB)?.getChild("items");
  const data = items?.getChild("item")?.getChild("data", NS_AVATAR_DATA);
  const text = data?.text().replace(/\s+/g, "") ?? "";
  return text || null;
}

/** A vCard-temp request (XEP-0054 §3.1; to my own account when `jid` is empty). */
export function vcardGet(jid = ""): Element {
  return xml("iq", { type: "get", to: jid || undefined }, xml("vCard", { xmlns: NS_VCARD }));
}

/** The PHOTO of a vCard result (XEP-0054 §3.1, XEP-0153 §3.1), or null. */
export function parseVcardPhoto(iq: Element): AvatarImage | null {
  const photo = iq.getChild("vCard", NS_VCARD)?.getChild("PHOTO");
  const base64 = photo?.getChildText("BINVAL")?.replace(/\s+/g, "") ?? "";
  if (!base64) return null;
  return { type: photo?.getChildText("TYPE")?.trim() || "image/png", base64 };
}

/** My vCard with its PHOTO replaced (other fields kept, XEP-0054 §3.2 replaces the whole vCard). */
export function vcardSetPhoto(current: Element | null, image: AvatarImage): Element {
  const card = xml("vCard", { xmlns: NS_VCARD });
  for (const child of current?.getChild("vCard", NS_VCARD)?.getChildElements() ?? [])
    if (child.name !== "PHOTO") card.append(child);
  card.append(xml("PHOTO", {}, xml("TYPE", {}, image.type), xml("BINVAL", {}, image.base64)));
  return xml("iq", { type: "set" }, card);
}

function publish(node: string, item: Element): Element {
  return xml(
    "iq",
    { type: "set" },
    xml(
      "pubsub",
      { xmlns: NS_PUBSUB },
      xml("publish", { node }, item),
      xml(
        "publish-options",
        {},
        xml(
          "x",
          { xmlns: "jabber:x:data", type: "submit" },
          xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, `${NS_PUBSUB}#publish-options`)),
          xml("field", { var: "pubsub#access_model" }, xml("value", {}, "open")),
        ),
      ),
    ),
  );
}

/** My avatar's data item (XEP-0084 §4.1): id = SHA-1 of the bytes, in hex. */
export function publishAvatarData(hash: string, base64: string): Element {
  return publish(NS_AVATAR_DATA, xml("item", { id: hash }, xml("data", { xmlns: NS_AVATAR_DATA }, base64)));
}

export interface AvatarInfo {
  hash: string;
  bytes: number;
  width: number;
  height: number;
  type: string;
}

/** My avatar's metadata item (XEP-0084 §4.2), published after the data. */
export function publishAvatarMetadata(info: AvatarInfo): Element {
  return publish(
    NS_AVATAR_METADATA,
    xml(
      "item",
      { id: info.hash },
      xml(
        "metadata",
        { xmlns: NS_AVATAR_METADATA },
        xml("info", {
          bytes: String(info.bytes),
          id: info.hash,
          height: String(info.height),
          width: String(info.width),
          type: info.type,
        }),
      ),
    ),
  );
}

/** SHA-1 of bytes in lowercase hex (XEP-0084 item ids, XEP-0153 photo hashes). */
export async function sha1Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> | null {
  try {
    const bin = atob(base64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
