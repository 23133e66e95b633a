// Carbons, archive results and archive queries (web/src/model/stanzas/stanzas-sync.ts), with the stanzas
// built as Prosody 0.12 sends them:
// - a carbon (mod_carbons.lua, message_handler): an outer message from my bare JID with the copied
//   message's type, <sent/> or <received/> (XEP-0280 §7) around <forwarded/> (XEP-0297) holding the
//   copy in jabber:client;
// - an archive result (mod_mam.lua, the query handler): an outer message whose `from` is the query's
//   `to` (absent when I query my own archive), <result queryid id/> around <forwarded/> with a
//   <delay stamp/> and the archived message, then the iq result with <fin complete><set><last/>
//   (XEP-0313 §4.2, RSM XEP-0059).
// Each forgery case uses a distinct inner id and body, so that no deduplication downstream could be
// what hides a missing check.
import { type Element, xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import type { Message } from "../../../web/src/model/stanzas/stanzas";
import {
  conversationOf,
  mamQuery,
  NS_CARBONS,
  NS_FORWARD,
  NS_MAM,
  NS_RSM,
  parseAnyMessage,
  parseMamFin,
} from "../../../web/src/model/stanzas/stanzas-sync";

const ALICE = "alice@example.org";
const BOB = "bob@example.org";
const NOW = 1_700_000_000_000;

const chat = (attrs: Record<string, string>, body: string) =>
  xml("message", { xmlns: "jabber:client", type: "chat", ...attrs }, xml("body", {}, body));

/** A carbon as mod_carbons builds it: `from` my bare JID unless forged. */
const carbon = (kind: "sent" | "received", inner: Element, from: string | null = ALICE) =>
  xml(
    "message",
    { ...(from === null ? {} : { from }), to: `${ALICE}/porthole`, type: inner.attrs.type },
    xml(kind, { xmlns: NS_CARBONS }, xml("forwarded", { xmlns: NS_FORWARD }, inner)),
  );

/** An archive result as mod_mam builds it for a query to my own archive (no `from`) unless given. */
const archived = (id: string | undefined, inner: Element | null, stamp: string | null, from?: string) =>
  xml(
    "message",
    { ...(from === undefined ? {} : { from }), to: `${ALICE}/porthole` },
    xml(
      "result",
      { xmlns: NS_MAM, queryid: "q1", ...(id === undefined ? {} : { id }) },
      xml("forwarded", { xmlns: NS_FORWARD }, stamp === null ? null : xml("delay", { xmlns: "urn:xmpp:delay", stamp }), inner),
    ),
  );

describe("parseAnyMessage: carbons (XEP-0280)", () => {
  it("unwraps a sent carbon from my bare JID: the message my other client sent", () => {
    const msg = parseAnyMessage(carbon("sent", chat({ from: `${ALICE}/phone`, to: BOB, id: "s1" }, "from my phone")), NOW, ALICE);
    expect(msg).toMatchObject({
      id: "s1",
      from: `${ALICE}/phone`,
      bare: ALICE,
      to: BOB,
      body: "from my phone",
      via: "carbon-sent",
    });
  });

  it("unwraps a received carbon: a message to my other client", () => {
    const msg = parseAnyMessage(
      carbon("received", chat({ from: `${BOB}/laptop`, to: `${ALICE}/phone`, id: "r1" }, "hi phone")),
      NOW,
      ALICE,
    );
    expect(msg).toMatchObject({ id: "r1", bare: BOB, to: ALICE, body: "hi phone", via: "carbon-received" });
  });

  it("refuses a carbon not from my own bare JID (§11: anyone could forge 'a message you sent')", () => {
    const inner = () => chat({ from: `${ALICE}/phone`, to: BOB, id: "forged-1" }, "wire me money");
    expect(parseAnyMessage(carbon("sent", inner(), BOB), NOW, ALICE)).toBeNull();
    expect(parseAnyMessage(carbon("sent", inner(), `${BOB}/laptop`), NOW, ALICE)).toBeNull();
    // Not even from one of my own resources: Prosody always sends it from the bare JID.
    expect(parseAnyMessage(carbon("received", inner(), `${ALICE}/phone`), NOW, ALICE)).toBeNull();
    // A carbon with no sender at all is not from my server either.
    expect(parseAnyMessage(carbon("sent", inner(), null), NOW, ALICE)).toBeNull();
  });

  it("refuses an empty wrapper (no forwarded message)", () => {
    const empty = xml("message", { from: ALICE }, xml("sent", { xmlns: NS_CARBONS }, xml("forwarded", { xmlns: NS_FORWARD })));
    expect(parseAnyMessage(empty, NOW, ALICE)).toBeNull();
    const bare = xml("message", { from: ALICE }, xml("received", { xmlns: NS_CARBONS }));
    expect(parseAnyMessage(bare, NOW, ALICE)).toBeNull();
  });
});

describe("parseAnyMessage: archive results (XEP-0313)", () => {
  const fromBob = (id: string, body: string) => chat({ from: `${BOB}/laptop`, to: ALICE, id }, body);

  it("unwraps a result of my own archive with its archive id, the archive's stamp and the query it answers", () => {
    const msg = parseAnyMessage(archived("arch-7", fromBob("b7", "while you slept"), "2023-11-14T22:13:20Z"), NOW, ALICE);
    expect(msg).toMatchObject({
      id: "b7",
      bare: BOB,
      body: "while you slept",
      via: "archive",
      queryId: "q1",
      stanzaId: "arch-7",
      at: Date.parse("2023-11-14T22:13:20Z"),
    });
  });

  it("accepts a result addressed from my bare JID (a query sent to='my bare JID')", () => {
    expect(parseAnyMessage(archived("arch-8", fromBob("b8", "ok"), null, ALICE), NOW, ALICE)).toMatchObject({
      stanzaId: "arch-8",
    });
  });

  it("without a delay stamp, keeps the inner message's own time", () => {
    const inner = fromBob("b9", "no stamp");
    inner.append(xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2023-11-14T20:00:00Z" }));
    expect(parseAnyMessage(archived("arch-9", inner, null), NOW, ALICE)?.at).toBe(Date.parse("2023-11-14T20:00:00Z"));
    expect(parseAnyMessage(archived("arch-10", fromBob("b10", "x"), "not a date"), NOW, ALICE)?.at).toBe(NOW);
  });

  it("refuses a result from anyone but my own account (§4.1.2: only my archive speaks for me)", () => {
    const forged = archived(
      "arch-66",
      chat({ from: `${ALICE}/phone`, to: BOB, id: "forged-2" }, "I quit"),
      "2023-11-14T22:00:00Z",
      BOB,
    );
    expect(parseAnyMessage(forged, NOW, ALICE)).toBeNull();
    const fromResource = archived("arch-67", fromBob("forged-3", "x"), null, `${ALICE}/phone`);
    expect(parseAnyMessage(fromResource, NOW, ALICE)).toBeNull();
  });

  it("refuses a result without an archive id or without a message", () => {
    expect(parseAnyMessage(archived(undefined, fromBob("b11", "x"), null), NOW, ALICE)).toBeNull();
    expect(parseAnyMessage(archived("", fromBob("b12", "x"), null), NOW, ALICE)).toBeNull();
    expect(parseAnyMessage(archived("arch-13", null, null), NOW, ALICE)).toBeNull();
    // A forwarded element that is not a message (or has no sender) is not a message either.
    const notMessage = archived("arch-14", xml("presence", { from: BOB }), null);
    expect(parseAnyMessage(notMessage, NOW, ALICE)).toBeNull();
  });
});

describe("parseAnyMessage: plain messages", () => {
  it("parses an unwrapped message as parseMessage does (live)", () => {
    expect(parseAnyMessage(fromLaptop("m1"), NOW, ALICE)).toMatchObject({ id: "m1", bare: BOB, via: "live", at: NOW });
  });
});

function fromLaptop(id: string) {
  return chat({ from: `${BOB}/laptop`, to: `${ALICE}/porthole`, id }, "live");
}

describe("mamQuery", () => {
  it("asks for the page after an archive id, as a data form with the MAM FORM_TYPE", () => {
    const iq = mamQuery("q-1", "arch-5", 100);
    expect(iq.attrs).toEqual({ type: "set" });
    const query = iq.getChild("query", NS_MAM);
    expect(query?.attrs.queryid).toBe("q-1");
    const field = query?.getChild("x", "jabber:x:data");
    expect(field?.attrs.type).toBe("submit");
    expect(field?.getChild("field")?.attrs).toEqual({ var: "FORM_TYPE", type: "hidden" });
    expect(field?.getChild("field")?.getChildText("value")).toBe(NS_MAM);
    const set = query?.getChild("set", NS_RSM);
    expect(set?.getChildText("max")).toBe("100");
    expect(set?.getChildText("after")).toBe("arch-5");
    expect(set?.getChild("before")).toBeUndefined();
  });

  it("asks for the newest page with an empty <before/> when there is no id (RSM §2.5)", () => {
    const set = mamQuery("q-2", null, 50).getChild("query", NS_MAM)?.getChild("set", NS_RSM);
    expect(set?.toString()).toBe(`<set xmlns="${NS_RSM}"><max>50</max><before/></set>`);
  });
});

describe("parseMamFin", () => {
  const fin = (attrs: Record<string, string>, ids: { first?: string; last?: string } = {}) =>
    xml(
      "iq",
      { type: "result" },
      xml(
        "fin",
        { xmlns: NS_MAM, ...attrs },
        xml(
          "set",
          { xmlns: NS_RSM },
          ids.first === undefined ? null : xml("first", { index: "0" }, ids.first),
          ids.last === undefined ? null : xml("last", {}, ids.last),
        ),
      ),
    );

  it("reads the last page flag and the page's first and last archive ids", () => {
    expect(parseMamFin(fin({ complete: "true" }, { first: "arch-7", last: "arch-9" }))).toEqual({
      complete: true,
      first: "arch-7",
      last: "arch-9",
    });
    expect(parseMamFin(fin({}, { last: "arch-3" }))).toEqual({ complete: false, first: null, last: "arch-3" });
    expect(parseMamFin(fin({ complete: "false" }, { first: "arch-1" }))).toEqual({
      complete: false,
      first: "arch-1",
      last: null,
    });
  });

  it("no <fin/>, no ids or empty ones: not complete, no ids", () => {
    expect(parseMamFin(xml("iq", { type: "result" }))).toEqual({ complete: false, first: null, last: null });
    expect(parseMamFin(fin({ complete: "true" }))).toEqual({ complete: true, first: null, last: null });
    expect(parseMamFin(fin({}, { first: "", last: "" }))).toEqual({ complete: false, first: null, last: null });
  });
});

describe("conversationOf", () => {
  const message = (m: Partial<Message>): Message => ({
    id: "x",
    from: `${BOB}/laptop`,
    bare: BOB,
    type: "chat",
    body: "b",
    at: NOW,
    receiptRequested: false,
    receiptFor: null,
    to: ALICE,
    stanzaId: null,
    originId: null,
    chatState: null,
    via: "live",
    ...m,
  });

  it("a message from a contact is theirs, incoming", () => {
    expect(conversationOf(message({}), ALICE)).toEqual({ peer: BOB, direction: "in" });
  });

  it("a message from my account is outgoing, to its addressee's bare JID", () => {
    expect(conversationOf(message({ from: `${ALICE}/phone`, bare: ALICE, to: `${BOB}/laptop` }), ALICE)).toEqual({
      peer: BOB,
      direction: "out",
    });
  });

  it("a sent carbon is outgoing even when the copy's sender is written otherwise", () => {
    expect(conversationOf(message({ via: "carbon-sent", bare: "someone@else.example", to: BOB }), ALICE)).toEqual({
      peer: BOB,
      direction: "out",
    });
    // A received carbon is a message to me: incoming from its sender.
    expect(conversationOf(message({ via: "carbon-received" }), ALICE)).toEqual({ peer: BOB, direction: "in" });
  });
});
