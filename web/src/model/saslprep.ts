/**
 * SASLprep (RFC 4013, a stringprep profile of RFC 3454) for SCRAM's username and password (RFC 5802 §2.2):
 * servers such as Prosody hash the prepared password, so a password typed with a no-break space, a soft
 * hyphen or a decomposed accent must be prepared the same way or the login fails.
 *
 * 1. map non-ASCII spaces (C.1.2) to U+0020 and the "commonly mapped to nothing" characters (B.1) to nothing;
 * 2. normalize with Unicode NFKC;
 * 3. refuse prohibited output (C.1.2, C.2.1, C.2.2, C.3-C.9);
 * 4. bidi (RFC 3454 §6): a string with right-to-left characters has no left-to-right ones and starts and
 *    ends with a right-to-left one. The bidi classes come from Unicode script properties (Hebrew, Arabic,
 *    Syriac, Thaana, NKo... for R/AL; other letters for L), an approximation of tables D.1/D.2.
 * Unassigned code points are allowed (a "query", as libidn's saslprep used by Prosody does by default).
 */

const SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
/** B.1, as code points (a regex class would mix combining marks such as U+034F with other characters). */
const NOTHING = new Set([0x00ad, 0x034f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200c, 0x200d, 0x2060, 0xfeff]);
const mappedToNothing = (cp: number) => NOTHING.has(cp) || (cp >= 0xfe00 && cp <= 0xfe0f);

const PROHIBITED: [number, number][] = [
  [0x0000, 0x001f], // C.2.1
  [0x007f, 0x009f], // C.2.1, C.2.2
  [0x00a0, 0x00a0], // C.1.2 (the rest of C.1.2 is mapped before this check, and NFKC may bring some back)
  [0x0340, 0x0341], // C.8
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x1680, 0x1680],
  [0x180e, 0x180e],
  [0x2000, 0x200f], // C.1.2, C.2.2, C.8
  [0x2028, 0x202f],
  [0x205f, 0x2063],
  [0x206a, 0x206f],
  [0x2ff0, 0x2ffb], // C.7
  [0x3000, 0x3000],
  [0xd800, 0xf8ff], // C.5, C.3
  [0xfdd0, 0xfdef], // C.4
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffd], // C.2.2, C.6
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001], // C.9
  [0xe0020, 0xe007f],
  [0xf0000, 0x10ffff], // C.3 (planes 15-16)
];

const RAND_AL =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\u200F\uFB1D-\uFDFF\uFE70-\uFEFC]/u;
const L_CAT = /[\p{L}\p{M}\u200E]/u;

export class SaslprepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SaslprepError";
  }
}

function prohibited(cp: number): boolean {
  if ((cp & 0xfffe) === 0xfffe) return true; // C.4: the last two code points of every plane
  for (const [lo, hi] of PROHIBITED) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** The SASLprep'd form of `input`; throws SaslprepError for prohibited characters or bad bidi. */
export function saslprep(input: string): string {
  const out = Array.from(input.replace(SPACE, " "))
    .filter((ch) => !mappedToNothing(ch.codePointAt(0) ?? 0))
    .join("")
    .normalize("NFKC");
  const chars = Array.from(out);
  for (const ch of chars) {
    const cp = ch.codePointAt(0) ?? 0;
    if (prohibited(cp)) {
      throw new SaslprepError(`character U+${cp.toString(16).toUpperCase().padStart(4, "0")} is not allowed`);
    }
  }
  const rtl = chars.map((c) => RAND_AL.test(c));
  if (rtl.some(Boolean)) {
    const ltr = chars.some((c, i) => !rtl[i] && L_CAT.test(c));
    if (ltr || !rtl[0] || !rtl[rtl.length - 1]) {
      throw new SaslprepError("mixes right-to-left and left-to-right text");
    }
  }
  return out;
}

/**
 * SASLprep for SCRAM (RFC 5802 §2.2): the prepared string, or the input as typed when it cannot be
 * prepared (the server then decides; no login is refused on the client's guess).
 */
export function saslprepOrRaw(input: string): string {
  try {
    return saslprep(input);
  } catch {
    return input;
  }
}
