/**
 * Which avatar each contact shows. A contact has at most one wanted hash and where it comes from:
 * XEP-0084 (PEP) wins over a XEP-0153 vCard hash, which is only used for contacts that publish no PEP
 * avatar. An image is shown only once its bytes were checked against that hash (avatar-lookup.ts),
 * and only for raster types a browser shows safely.
 */
import type { AvatarImage } from "../stanzas/avatars";
import type { AvatarSource, AvatarsProxy } from "./avatars-proxy";

const SHOWN_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

function drop(avatars: AvatarsProxy, jid: string): void {
  if (!avatars.images.value.has(jid)) return;
  const next = new Map(avatars.images.value);
  next.delete(jid);
  avatars.images.value = next;
}

/**
 * Records that `jid` announced `hash` (null/"": no avatar). True when the image must be looked up
 * (a new hash from a source that counts); a vCard hash never replaces a PEP avatar.
 */
export function announce(avatars: AvatarsProxy, jid: string, hash: string | null, source: AvatarSource): boolean {
  const current = avatars.wanted.get(jid);
  if (source === "vcard" && current?.source === "pep") return false;
  if (!hash) {
    if (current && current.source !== source) return false;
    avatars.wanted.delete(jid);
    drop(avatars, jid);
    return false;
  }
  if (current?.hash === hash) return false;
  avatars.wanted.set(jid, { hash, source });
  return true;
}

/** Shows a checked image for `jid`, if `hash` is still the one wanted. */
export function show(avatars: AvatarsProxy, jid: string, hash: string, image: AvatarImage): void {
  if (avatars.wanted.get(jid)?.hash !== hash || !SHOWN_TYPES.has(image.type)) return;
  const next = new Map(avatars.images.value);
  next.set(jid, `data:${image.type};base64,${image.base64}`);
  avatars.images.value = next;
}

/** What to keep on the device: contact → hash of what is shown. */
export function shownIndex(avatars: AvatarsProxy): Array<[string, string]> {
  return [...avatars.wanted].filter(([jid]) => avatars.images.value.has(jid)).map(([jid, w]) => [jid, w.hash]);
}

/** Restores what the device kept, before any network (a later announcement still wins). */
export function restore(avatars: AvatarsProxy, jid: string, hash: string, image: AvatarImage): void {
  if (avatars.wanted.has(jid)) return;
  avatars.wanted.set(jid, { hash, source: "vcard" });
  show(avatars, jid, hash, image);
}

export function setNick(avatars: AvatarsProxy, jid: string, nick: string): void {
  if ((avatars.nicks.value.get(jid) ?? "") === nick) return;
  const next = new Map(avatars.nicks.value);
  if (nick) next.set(jid, nick);
  else next.delete(jid);
  avatars.nicks.value = next;
}
