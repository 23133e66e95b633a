// Room refusals as sentences (web/src/model/rooms/refusals.ts): the XEP-0045 error conditions per use
// case, xmpp.js StanzaErrors and raw error stanzas alike, and removals (307 kicked, 301 banned).
import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import {
  errorCondition,
  joinRefusal,
  refusalSentence,
  removalReason,
  removalSentence,
} from "../../../web/src/model/rooms/refusals";

describe("refusalSentence", () => {
  it("words each condition of each use case", () => {
    expect(refusalSentence("join", "conflict")).toBe("That nickname is already in use in this room. Choose another one.");
    expect(refusalSentence("join", "forbidden")).toBe("You are banned from this room.");
    expect(refusalSentence("join", "not-authorized")).toBe("Wrong room password. Check it and try again.");
    expect(refusalSentence("create", "not-allowed")).toBe(
      "This server does not allow you to create rooms. Join an existing room instead.",
    );
    expect(refusalSentence("kick", "not-allowed")).toMatch(/^You cannot remove this person/);
    expect(refusalSentence("ban", "forbidden")).toBe("Only admins and owners can ban people from this room.");
    expect(refusalSentence("config", "forbidden")).toBe("Only the room's owners can change its settings.");
  });

  it("falls back to a general sentence per use case, never the server's text", () => {
    expect(refusalSentence("kick", "undefined-condition")).toBe("The room refused to remove this person.");
    expect(refusalSentence("subject", "")).toBe("The room refused the new subject.");
    expect(joinRefusal("policy-violation", "No spam")).toBe("The room refused to let you in. (No spam)");
    expect(joinRefusal("conflict", "ignored")).toBe("That nickname is already in use in this room. Choose another one.");
  });

  it("reads the condition from an xmpp.js StanzaError, an error stanza, or a string", () => {
    expect(errorCondition({ condition: "forbidden" })).toBe("forbidden");
    const stanza = xml(
      "presence",
      { type: "error" },
      xml(
        "error",
        { type: "cancel" },
        xml("text", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" }, "x"),
        xml("conflict", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" }),
      ),
    );
    expect(errorCondition(stanza)).toBe("conflict");
    expect(errorCondition(null)).toBe("");
    expect(refusalSentence("ban", new Error("Not connected."))).toBe("You are offline: try again once connected.");
    expect(refusalSentence("ban", new Error("Timeout"))).toBe("The room did not answer in time. Try again.");
  });
});

describe("removals", () => {
  it("says who removed me and why", () => {
    expect(removalReason([110])).toBeNull();
    expect(removalSentence([307, 110], "alice", "too loud")).toBe("You were removed by alice. Reason: too loud");
    expect(removalSentence([301, 110], "", "")).toBe("You were banned from this room.");
    expect(removalSentence([301, 110], "alice", "")).toBe("You were banned by alice.");
    expect(removalSentence([321], "bob", "")).toBe("You were removed by bob: you are no longer a member of this room.");
  });
});
