// The "/me" action of XEP-0245 (views/chat/rich-actions.ts meAction) and a reply's quote line
// (views/chat/rich-body.tsx snippet).
import { describe, expect, it } from "vitest";
import { meAction } from "../../../web/src/views/chat/rich-actions";
import { snippet } from "../../../web/src/views/chat/rich-body";

describe("meAction", () => {
  it("is the text after a leading '/me ' only", () => {
    expect(meAction("/me waves")).toBe("waves");
    expect(meAction("/me ")).toBeNull();
    expect(meAction("/meow")).toBeNull();
    expect(meAction(" /me waves")).toBeNull();
    expect(meAction("say /me waves")).toBeNull();
  });
});

describe("snippet", () => {
  it("is the first line, shortened past 80 characters", () => {
    expect(snippet("  first\nsecond")).toBe("first");
    expect(snippet("x".repeat(81))).toBe(`${"x".repeat(80)}…`);
    expect(snippet("x".repeat(80))).toBe("x".repeat(80));
  });
});
