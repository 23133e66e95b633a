// The initials on an avatar without an image (views/avatar/avatar.tsx): the first letters of the first
// two words of the name; a word starts at a letter or digit, so a private conversation named
// "bob (lobby@conference.example.org)" shows "BL", not "B(".
import { describe, expect, it } from "vitest";
import { initialsOf } from "../../../web/src/views/avatar/avatar";

describe("avatar initials", () => {
  it("takes the first letter of the first two words, skipping punctuation before a word", () => {
    expect(initialsOf("Bob Builder", "bob@example.org")).toBe("BB");
    expect(initialsOf("bob (lobby@conference.example.org)", "lobby@conference.example.org/bob")).toBe("BL");
    expect(initialsOf("", "carol.smith@example.org")).toBe("CS");
    expect(initialsOf("(( ))", "x@example.org")).toBe("?");
  });
});
