/**
 * Clickable web addresses in message bodies. Only http: and https: URLs become links (never
 * javascript:, data:, file:, …); everything else, markup included, stays text. Links are Preact
 * elements (no innerHTML), open in a new tab without an opener or a referrer, and point at the URL as
 * the URL parser (WHATWG URL) understands it. An address with a user name or password in it
 * (https://bank.example@evil.example/) is left as text: it is a classic disguise.
 */
import type { ComponentChildren } from "preact";

export type Part = string | { href: string; text: string };

/** A candidate: the scheme, then anything up to white space or a character that never ends a URL in prose. */
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`{}|\\^]+/gi;
/** Punctuation that ends a sentence rather than the address. */
const TRAILING = /[.,;:!?*_~]+$/;
const CLOSERS: Record<string, string> = { ")": "(", "]": "[" };

/** Drops trailing punctuation and closing brackets that are not part of the URL ("(see https://x.org/a)"). */
function trim(candidate: string): string {
  let s = candidate;
  for (;;) {
    const before = s;
    s = s.replace(TRAILING, "");
    const last = s.at(-1) ?? "";
    const opener = CLOSERS[last];
    if (opener && s.split(opener).length <= s.split(last).length - 1) s = s.slice(0, -1);
    if (s === before) return s;
  }
}

function linkTarget(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) return null;
  if (url.username || url.password) return null;
  return url.href;
}

/** The body split into text and links, in order (adjacent text merged). */
export function linkParts(body: string): Part[] {
  const parts: Part[] = [];
  let at = 0;
  const pushText = (s: string) => {
    if (!s) return;
    const last = parts.at(-1);
    if (typeof last === "string") parts[parts.length - 1] = last + s;
    else parts.push(s);
  };
  for (const match of body.matchAll(CANDIDATE)) {
    const start = match.index ?? 0;
    const text = trim(match[0]);
    const href = linkTarget(text);
    if (!href) continue;
    pushText(body.slice(at, start));
    parts.push({ href, text });
    at = start + text.length;
  }
  pushText(body.slice(at));
  return parts;
}

/** A message body with its web addresses as links. */
export function Linkified({ text }: { text: string }): ComponentChildren {
  // Fast path: most messages have no address at all.
  if (!/https?:\/\//i.test(text)) return text;
  return linkParts(text).map((part, i) =>
    typeof part === "string" ? (
      part
    ) : (
      <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
        {part.text}
      </a>
    ),
  );
}
