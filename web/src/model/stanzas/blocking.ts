/**
 * Blocking command (XEP-0191): the server's pushes to every resource (§3.3-3.4), accepted only from
 * my own account. The requests (blocklist, block, unblock) are in blocking-requests.ts.
 */
import type { Element } from "@xmpp/xml";
import { bareJid } from "./jid";

export const NS_BLOCKING = "urn:xmpp:blocking";

/** A blocklist change my server pushed; `jids` empty with `unblock`: everything was unblocked (§3.5). */
export interface BlockPush {
  kind: "block" | "unblock";
  jids: string[];
}

export const itemJids = (el: Element | undefined) =>
  (el?.getChildren("item") ?? []).map((i) => i.attrs.jid as string | undefined).filter((j): j is string => !!j);

/** A block or unblock push (an iq set); null when it is not one, or not from my own account. */
export function parseBlockPush(iq: Element, ownJid: string): BlockPush | null {
  const from = iq.attrs.from;
  if (from && bareJid(from) !== bareJid(ownJid)) return null;
  const block = iq.getChild("block", NS_BLOCKING);
  const unblock = iq.getChild("unblock", NS_BLOCKING);
  if (block) {
    const jids = itemJids(block);
    return jids.length ? { kind: "block", jids } : null;
  }
  if (unblock) return { kind: "unblock", jids: itemJids(unblock) };
  return null;
}
