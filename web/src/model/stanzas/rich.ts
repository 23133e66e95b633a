/**
 * What a chat message says about other messages, parsed at the edge and built back:
 * - XEP-0308 Last Message Correction (`<replace id/>`: the body replaces that message's body);
 * - XEP-0424 Message Retraction in both forms clients send: the XEP-0422 fastening
 *   `<apply-to id><retract xmlns='urn:xmpp:message-retract:0'/></apply-to>` and the newer
 *   `<retract id xmlns='urn:xmpp:message-retract:1'/>`, and the archive's tombstones (`<retracted/>`);
 * - XEP-0461 Message Replies (`<reply to id/>`) with the XEP-0428 fallback (`<fallback for=reply>`,
 *   a body range in Unicode code points, XEP-0426) that quotes the original for other clients;
 * - XEP-0444 Message Reactions (`<reactions id><reaction>emoji</reaction>…</reactions>`, the whole set);
 * - XEP-0333 Chat Markers (`<markable/>`, `<displayed id/>`).
 * Everything from a peer is plain text here; nothing is markup. Building them back is rich-build.ts
 * (loaded when first used).
 */
import type { Element } from "@xmpp/xml";

export const NS_CORRECT = "urn:xmpp:message-correct:0";
export const NS_FASTEN = "urn:xmpp:fasten:0";
export const NS_RETRACT0 = "urn:xmpp:message-retract:0";
export const NS_RETRACT = "urn:xmpp:message-retract:1";
export const NS_REPLY = "urn:xmpp:reply:0";
export const NS_FALLBACK = "urn:xmpp:fallback:0";
/** The fallback namespace of XEP-0428 before 0.2, still sent by older clients. */
const NS_FALLBACK_OLD = "urn:xmpp:feature-fallback:0";
export const NS_REACTIONS = "urn:xmpp:reactions:0";
export const NS_MARKERS = "urn:xmpp:chat-markers:0";
export const NS_HINTS = "urn:xmpp:hints";

/** At most this many reactions per sender and message, each at most MAX_EMOJI code units. */
const MAX_REACTIONS = 20;
const MAX_EMOJI = 32;
/** The quote kept from a reply's fallback or sent in one (code points). */
export const MAX_QUOTE = 100;

export interface RichParts {
  /** XEP-0308: the id of the message whose body this one's replaces. */
  replaces?: string;
  /** XEP-0424: the id of the message this one retracts (either form). */
  retracts?: string;
  /** XEP-0424 tombstone: the archive kept this message only as "retracted". */
  tombstone?: true;
  /** XEP-0461: the message this one answers, its author, and the quote of its fallback if any. */
  reply?: { id: string; to: string; quote?: string };
  /** The body without the reply's XEP-0428 fallback (set only when there was one). */
  text?: string;
  /** XEP-0444: the sender's whole set of reactions to message `id` (empty: none any more). */
  reactions?: { id: string; emojis: string[] };
  /** XEP-0333: the sender asks for chat markers. */
  markable?: true;
  /** XEP-0333: the recipient displayed message `id` (and everything before it). */
  displayed?: string;
}

export const codePoints = (s: string) => Array.from(s);

/** The ranges of `body` that a fallback `for` namespace covers (XEP-0428 §4, code points). */
function fallbackRanges(el: Element, ns: string, length: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const fb of [...el.getChildren("fallback", NS_FALLBACK), ...el.getChildren("fallback", NS_FALLBACK_OLD)]) {
    if (fb.attrs.for !== ns) continue;
    const bodies = fb.getChildren("body");
    // XEP-0461 0.1 put the range on the fallback element itself.
    const spans = bodies.length ? bodies : [fb];
    for (const span of spans) {
      const start = Number(span.attrs.start ?? 0);
      const end = Number(span.attrs.end ?? length);
      if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= length)
        ranges.push([start, end]);
    }
  }
  return ranges;
}

/** The quoted original inside a reply fallback: its "> " prefixes and a leading "Name:" line of Converse dropped. */
function quoteOf(fallback: string): string {
  const lines = fallback
    .replace(/\n+$/, "")
    .split("\n")
    .map((l) => l.replace(/^>\s?/, ""));
  const text = lines.join("\n").trim();
  return codePoints(text).slice(0, MAX_QUOTE).join("");
}

function reactionsOf(el: Element): RichParts["reactions"] | undefined {
  const r = el.getChild("reactions", NS_REACTIONS);
  if (!r?.attrs.id) return undefined;
  const emojis: string[] = [];
  for (const c of r.getChildren("reaction")) {
    const e = c.text().trim();
    if (e && e.length <= MAX_EMOJI && !emojis.includes(e)) emojis.push(e);
    if (emojis.length === MAX_REACTIONS) break;
  }
  return { id: r.attrs.id, emojis };
}

/** The rich parts of a `<message/>` (its `body` text as parsed), or null when it has none. */
export function parseRich(el: Element, body: string | null): RichParts | null {
  const parts: RichParts = {};
  const replace = el.getChild("replace", NS_CORRECT)?.attrs.id;
  if (replace) parts.replaces = replace;
  const retract =
    el.getChild("retract", NS_RETRACT)?.attrs.id ||
    el.getChildren("apply-to", NS_FASTEN).find((a) => a.getChild("retract", NS_RETRACT0))?.attrs.id;
  if (retract) parts.retracts = retract;
  if (el.getChild("retracted", NS_RETRACT) || el.getChild("retracted", NS_RETRACT0)) parts.tombstone = true;
  const reply = el.getChild("reply", NS_REPLY);
  if (reply?.attrs.id) {
    parts.reply = { id: reply.attrs.id, to: reply.attrs.to ?? "" };
    if (body !== null) {
      const chars = codePoints(body);
      const ranges = fallbackRanges(el, NS_REPLY, chars.length).sort((a, b) => b[0] - a[0]);
      if (ranges.length) {
        const quote = ranges
          .slice()
          .reverse()
          .map(([s, e]) => chars.slice(s, e).join(""))
          .join("\n");
        for (const [s, e] of ranges) chars.splice(s, e - s);
        parts.text = chars.join("");
        const q = quoteOf(quote);
        if (q) parts.reply.quote = q;
      }
    }
  }
  const reactions = reactionsOf(el);
  if (reactions) parts.reactions = reactions;
  if (el.getChild("markable", NS_MARKERS)) parts.markable = true;
  const displayed = el.getChild("displayed", NS_MARKERS)?.attrs.id;
  if (displayed) parts.displayed = displayed;
  return Object.keys(parts).length ? parts : null;
}
