// Parsing and building the rich parts of chat messages (web/src/model/stanzas/rich.ts), with stanzas
// shaped as the major clients send them:
// - Conversations 2.12 src/main/java/eu/siacs/conversations/generator/MessageGenerator.java
//   (markable, <replace id/> on an edited message, the displayed marker with a store hint);
// - Converse.js src/headless/shared/actions.js sendRetractionMessage (retract:1 + fallback body),
//   its 2019 version (commit b4dafcc4, fastening apply-to + retract:0), src/headless/shared/
//   model-with-messages.js createMessageStanza / addReplyFallback (reply + fallback range in code
//   points) and src/plugins/reactions-views/utils.js (reactions + store hint);
// - XEP-0424 §5 tombstones as an archive returns them.
import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { CLIENT_FEATURES } from "../../../web/src/model/stanzas/client-features";
import { parseRich } from "../../../web/src/model/stanzas/rich";
import { asReply, reactions, retraction } from "../../../web/src/model/stanzas/rich-build";
import { chatMessage, parseMessage } from "../../../web/src/model/stanzas/stanzas";

const BOB = "bob@example.org/phone";
const msg = (...children: ReturnType<typeof xml>[]) =>
  xml("message", { from: BOB, to: "alice@example.org", type: "chat", id: "m2" }, ...children);
const rich = (el: ReturnType<typeof xml>) => parseMessage(el, 0, "alice@example.org")?.rich;

describe("parsing", () => {
  it("a Conversations correction names the original; markable asks for markers", () => {
    const el = msg(
      xml("body", {}, "fixed"),
      xml("markable", { xmlns: "urn:xmpp:chat-markers:0" }),
      xml("origin-id", { xmlns: "urn:xmpp:sid:0", id: "m2" }),
      xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: "m1" }),
    );
    expect(rich(el)).toEqual({ replaces: "m1", markable: true });
  });

  it("reads both retraction forms and both tombstones", () => {
    const v1 = msg(
      xml("retract", { xmlns: "urn:xmpp:message-retract:1", id: "m1" }),
      xml("body", {}, "/me retracted a message"),
      xml("store", { xmlns: "urn:xmpp:hints" }),
      xml("fallback", { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:message-retract:1" }),
    );
    const v0 = msg(
      xml("store", { xmlns: "urn:xmpp:hints" }),
      xml("apply-to", { xmlns: "urn:xmpp:fasten:0", id: "m1" }, xml("retract", { xmlns: "urn:xmpp:message-retract:0" })),
    );
    // A fastening of something else is not a retraction.
    const other = msg(xml("apply-to", { xmlns: "urn:xmpp:fasten:0", id: "m1" }, xml("external", { xmlns: "x" })));
    expect(rich(v1)?.retracts).toBe("m1");
    expect(rich(v0)?.retracts).toBe("m1");
    expect(rich(other)).toBeUndefined();
    for (const ns of ["urn:xmpp:message-retract:0", "urn:xmpp:message-retract:1"])
      expect(rich(msg(xml("retracted", { xmlns: ns, id: "r1", stamp: "2024-01-01T00:00:00Z" })))).toEqual({ tombstone: true });
  });

  it("strips a Converse reply fallback by code points and keeps its quote", () => {
    const quote = "> Bob:\n> 🎉 party at 8\n";
    const body = `${quote}count me in`;
    const el = msg(
      xml("body", {}, body),
      xml("reply", { xmlns: "urn:xmpp:reply:0", id: "m1", to: BOB }),
      xml(
        "fallback",
        { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:reply:0" },
        xml("body", { start: "0", end: String([...quote].length) }),
      ),
    );
    expect(rich(el)).toEqual({ reply: { id: "m1", to: BOB, quote: "Bob:\n🎉 party at 8" }, text: "count me in" });
    // A range outside the body is ignored (the body is shown whole).
    const bad = msg(
      xml("body", {}, "short"),
      xml("reply", { xmlns: "urn:xmpp:reply:0", id: "m1" }),
      xml("fallback", { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:reply:0" }, xml("body", { start: "0", end: "99" })),
    );
    expect(rich(bad)).toEqual({ reply: { id: "m1", to: "" } });
  });

  it("reads a set of reactions (deduplicated, empty = none) and a displayed marker", () => {
    const r = (...emojis: string[]) =>
      msg(
        xml("reactions", { xmlns: "urn:xmpp:reactions:0", id: "m1" }, ...emojis.map((e) => xml("reaction", {}, e))),
        xml("store", { xmlns: "urn:xmpp:hints" }),
      );
    expect(rich(r("👍", "❤️", "👍", " "))).toEqual({ reactions: { id: "m1", emojis: ["👍", "❤️"] } });
    expect(rich(r())).toEqual({ reactions: { id: "m1", emojis: [] } });
    expect(
      rich(msg(xml("displayed", { xmlns: "urn:xmpp:chat-markers:0", id: "m1" }), xml("store", { xmlns: "urn:xmpp:hints" }))),
    ).toEqual({ displayed: "m1" });
    expect(rich(msg(xml("body", {}, "plain")))).toBeUndefined();
  });
});

describe("building", () => {
  it("a reply quotes the original in its body and says which part is the fallback", () => {
    const el = asReply(chatMessage("bob@example.org", "yes", "o1"), { id: "m1", to: "bob@example.org", quote: "🎉 8?" });
    expect(el.getChildText("body")).toBe("> 🎉 8?\nyes");
    expect(el.getChild("reply", "urn:xmpp:reply:0")?.attrs).toMatchObject({ id: "m1", to: "bob@example.org" });
    const range = el.getChild("fallback", "urn:xmpp:fallback:0")?.getChild("body")?.attrs;
    expect(range).toEqual({ start: "0", end: String([..."> 🎉 8?\n"].length) });
    // Read back, it is the reply as typed.
    expect(rich(Object.assign(el, { attrs: { ...el.attrs, from: BOB } }))?.text).toBe("yes");
    expect(chatMessage("bob@example.org", "x", "o2").getChild("markable", "urn:xmpp:chat-markers:0")).toBeTruthy();
  });

  it("a retraction carries both forms and a fallback; reactions carry the whole set", () => {
    const el = retraction("bob@example.org", "r1", "o1");
    expect(el.getChild("retract", "urn:xmpp:message-retract:1")?.attrs.id).toBe("o1");
    expect(el.getChild("apply-to", "urn:xmpp:fasten:0")?.getChild("retract", "urn:xmpp:message-retract:0")).toBeTruthy();
    expect(el.getChild("store", "urn:xmpp:hints")).toBeTruthy();
    expect(parseRich(el, el.getChildText("body"))?.retracts).toBe("o1");
    const r = reactions("bob@example.org", "x1", "m1", ["👍", "😂"]);
    expect(
      r
        .getChild("reactions")
        ?.getChildren("reaction")
        .map((c) => c.text()),
    ).toEqual(["👍", "😂"]);
  });
});

describe("service discovery", () => {
  it("advertises what Porthole reads, so other clients send it (XEP-0030 / XEP-0115)", () => {
    expect(CLIENT_FEATURES).toEqual(
      expect.arrayContaining([
        "urn:xmpp:message-correct:0",
        "urn:xmpp:message-retract:0",
        "urn:xmpp:message-retract:1",
        "urn:xmpp:reply:0",
        "urn:xmpp:reactions:0",
        "urn:xmpp:chat-markers:0",
      ]),
    );
  });
});
