/**
 * Finds the image for an announced avatar hash: from this device's cache, else from the contact's
 * PEP data node (XEP-0084 §4.3) or vCard (XEP-0054, XEP-0153 §3.3). Bytes that do not hash to the
 * announced SHA-1 are refused (never shown, never kept). The device then remembers who shows what.
 */
import { restore, show, shownIndex } from "../../model/avatars/avatar-choice";
import type { AvatarSource } from "../../model/avatars/avatars-proxy";
import type { Model } from "../../model/index";
import {
  avatarDataGet,
  base64ToBytes,
  parseAvatarData,
  parseVcardPhoto,
  sha1Hex,
  vcardGet,
} from "../../model/stanzas/avatar-requests";
import type { AvatarImage } from "../../model/stanzas/avatars";

async function fetchImage(model: Model, jid: string, hash: string, source: AvatarSource, type: string) {
  const own = jid === model.xmpp.bare;
  if (source === "pep") {
    const base64 = parseAvatarData(await model.xmpp.request(avatarDataGet(jid, hash)));
    return base64 ? { type: type || "image/png", base64 } : null;
  }
  return parseVcardPhoto(await model.xmpp.request(vcardGet(own ? "" : jid)));
}

async function checked(image: AvatarImage | null, hash: string): Promise<AvatarImage | null> {
  const bytes = image && base64ToBytes(image.base64);
  return bytes && (await sha1Hex(bytes)) === hash ? image : null;
}

export async function lookUpAvatar(model: Model, jid: string, hash: string, source: AvatarSource, type: string): Promise<void> {
  const { avatars, device } = model;
  try {
    let image = await (await avatars.cache()).image(hash);
    if (!image) {
      image = await checked(await fetchImage(model, jid, hash, source, type), hash);
      if (!image) {
        console.warn(`avatar of ${jid}: no image matches ${hash}`);
        return;
      }
      await (await avatars.cache()).putImage(hash, image);
    }
    show(avatars, jid, hash, image);
    const account = device.account;
    if (account) await (await avatars.cache()).putIndex(account, shownIndex(avatars));
  } catch (err) {
    console.warn(`avatar of ${jid} unavailable:`, err);
  }
}

/** Shows the avatars this device kept for `account` (before any connection). */
export async function restoreAvatars(model: Model, account: string): Promise<void> {
  const { avatars } = model;
  for (const [jid, hash] of await (await avatars.cache()).index(account)) {
    const image = await (await avatars.cache()).image(hash);
    if (image && model.device.account === account) restore(avatars, jid, hash, image);
  }
}
