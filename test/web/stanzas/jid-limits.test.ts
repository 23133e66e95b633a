// Address limits in web/src/model/stanzas/jid.ts: each part of a bare JID is at most 1023 bytes (RFC 7622
// §3.2 and §3.3), the local part checked as well as the domain; a resource is cut at the first '/'.
import { describe, expect, it } from "vitest";
import { bareJid, isBareJid } from "../../../web/src/model/stanzas/jid";

describe("isBareJid length limits", () => {
  it("accepts 1023 characters in the local part or the domain, refuses 1024", () => {
    expect(isBareJid(`${"a".repeat(1023)}@example.org`)).toBe(true);
    expect(isBareJid(`${"a".repeat(1024)}@example.org`)).toBe(false);
    expect(isBareJid(`bob@${"d".repeat(1019)}.org`)).toBe(true);
    expect(isBareJid(`bob@${"d".repeat(1020)}.org`)).toBe(false);
  });
});

describe("bareJid", () => {
  it("drops the resource from the first slash on, keeps a JID without one, lowercases", () => {
    expect(bareJid("Bob@Example.org/phone/x")).toBe("bob@example.org");
    expect(bareJid("Bob@Example.org")).toBe("bob@example.org");
    expect(bareJid("/only-a-resource")).toBe("");
  });
});
