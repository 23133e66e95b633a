// Deduplication in web/src/model/chats/chats-proxy.ts: a message is known by each id it carries (its id
// attribute, its XEP-0359 origin-id, the archive's stanza-id), so a copy that shares any one of
// them is the same message. XEP-0359 §1: the id attribute is not stable in transit (an entity on the
// way may rewrite it); the origin-id, set by the sending client, is.
import { describe, expect, it } from "vitest";
import { type ChatMessage, ChatsProxy } from "../../../web/src/model/chats/chats-proxy";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
const base = { peer: BOB, body: "hello", at: 1_700_000_000_000 };

describe("ChatsProxy deduplication", () => {
  it("a copy with a rewritten id but the same origin-id is the same message", () => {
    const chats = new ChatsProxy();
    expect(chats.receive({ ...base, id: "m-1", originId: "origin-1" })).toBe(true);
    expect(chats.receive({ ...base, id: "rewritten-1", originId: "origin-1" })).toBe(false);
    expect(messagesWith(chats, BOB)).toHaveLength(1);
    expect(chats.unread.value.get(BOB)).toBe(1);
  });

  it("a copy whose id equals the first one's origin-id is the same message, and learns its archive id", () => {
    const chats = new ChatsProxy();
    chats.receive({ ...base, id: "m-2", originId: "origin-2" });
    // The archive copy as another client stored it: id attribute = origin-id.
    expect(chats.receive({ ...base, id: "origin-2", stanzaId: "arch-2" })).toBe(false);
    expect(messagesWith(chats, BOB)).toMatchObject([{ id: "m-2", stanzaId: "arch-2" }]);
    expect(chats.lastStanzaId()).toBe("arch-2");
  });

  it("different ids everywhere are different messages; the same id for another peer too", () => {
    const chats = new ChatsProxy();
    chats.receive({ ...base, id: "a", originId: "oa" });
    expect(chats.receive({ ...base, id: "b", originId: "ob" })).toBe(true);
    expect(chats.receive({ ...base, peer: "carol@example.org", id: "a", originId: "oa" })).toBe(true);
    const seen: ChatMessage[] = [...messagesWith(chats, BOB), ...messagesWith(chats, "carol@example.org")];
    expect(seen.map((m) => m.id)).toEqual(["a", "b", "a"]);
  });

  it("my outgoing message found again under its origin-id is marked sent, not added", () => {
    const chats = new ChatsProxy();
    chats.addOutgoing({ ...base, id: "out-1", state: "queued" });
    expect(
      chats.add({ ...base, id: "server-rewrote", originId: "out-1", direction: "out", state: "sent", stanzaId: "arch-9" }),
    ).toBe(false);
    expect(messagesWith(chats, BOB)).toMatchObject([{ id: "out-1", state: "sent", stanzaId: "arch-9" }]);
    expect(chats.queued()).toEqual([]);
  });
});
