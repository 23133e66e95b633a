// SASLprep (RFC 4013) for SCRAM: the RFC's own examples (§3), the mappings and prohibitions of RFC 3454
// that matter for typed passwords, and that SCRAM derives the same key from equivalent spellings.
import { describe, expect, it } from "vitest";
import { SaslprepError, saslprep, saslprepOrRaw } from "../../../web/src/model/auth/saslprep";
import { saltedPassword } from "../../../web/src/model/auth/scram-sha-1";

describe("saslprep", () => {
  it.each([
    // RFC 4013 §3
    ["I\u00ADX", "IX"],
    ["user", "user"],
    ["USER", "USER"],
    ["\u00AA", "a"],
    ["\u2168", "IX"],
    // C.1.2 spaces → U+0020, B.1 → nothing, NFKC
    ["pass\u00A0word", "pass word"],
    ["pass\u3000word", "pass word"],
    ["pa\u200Bss", "pa ss"],
    ["pa\u200Dss\uFEFF", "pass"],
    ["caf\u0065\u0301", "caf\u00E9"],
    ["\uFB01le", "file"],
    ["\uFF21\uFF22", "AB"],
    // Right-to-left text on its own is fine, digits inside too.
    ["\u05E9\u05DC\u05D5\u05DD", "\u05E9\u05DC\u05D5\u05DD"],
    ["\u0627\u0031\u0628", "\u0627\u0031\u0628"],
    ["emoji 🔑", "emoji 🔑"],
    ["", ""],
  ])("%j → %j", (input, want) => {
    expect(saslprep(input)).toBe(want);
  });

  it.each([
    ["\u0007", /U\+0007/], // RFC 4013 §3: prohibited
    ["\u0627\u0031", /right-to-left/], // RFC 4013 §3: bidi
    ["abc\u0627", /right-to-left/],
    ["a\u0000b", /U\+0000/],
    ["line\u2028break", /U\+2028/],
    ["\uE000private", /U\+E000/],
    ["tag\u{E0041}", /U\+E0041/],
    ["\u{10FFFE}", /U\+10FFFE/],
    ["lone\uD800", /U\+D800/],
    ["\u202Eevil", /U\+202E/],
  ])("refuses %j", (input, why) => {
    expect(() => saslprep(input)).toThrow(SaslprepError);
    expect(() => saslprep(input)).toThrow(why);
    expect(saslprepOrRaw(input)).toBe(input);
  });

  it("SCRAM derives one SaltedPassword for equivalent spellings, another for a different password", async () => {
    const salt = new TextEncoder().encode("salt-of-16-bytes");
    const hex = async (p: string) => Buffer.from(await saltedPassword(p, salt, 4096)).toString("hex");
    const composed = await hex("caf\u00E9 pass");
    expect(await hex("cafe\u0301\u00A0pa\u00ADss")).toBe(composed);
    expect(await hex("cafe pass")).not.toBe(composed);
  });
});
