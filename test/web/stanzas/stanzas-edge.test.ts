// Edge cases of web/src/model/stanzas/stanzas.ts parsing: a receipt is asked for only when the message has
// an id to acknowledge (XEP-0184 §5.1: "MUST include an 'id' attribute"); a priority that is not a
// number counts as 0 (RFC 6121 §4.7.2.3, the default).
import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { parseMessage, parsePresence } from "../../../web/src/model/stanzas/stanzas";

describe("parseMessage receipts", () => {
  const ask = (attrs: Record<string, string>) =>
    parseMessage(
      xml(
        "message",
        { from: "bob@example.org/x", ...attrs },
        xml("body", {}, "b"),
        xml("request", { xmlns: "urn:xmpp:receipts" }),
      ),
      0,
    );

  it("asks for a receipt only with an id to acknowledge", () => {
    expect(ask({ id: "m1" })?.receiptRequested).toBe(true);
    expect(ask({})?.receiptRequested).toBe(false);
    expect(ask({ id: "" })?.receiptRequested).toBe(false);
    expect(parseMessage(xml("message", { from: "bob@example.org/x", id: "m2" }, xml("body", {}, "b")), 0)?.receiptRequested).toBe(
      false,
    );
  });
});

describe("parsePresence priority", () => {
  const priority = (p: string) => parsePresence(xml("presence", { from: "bob@example.org/x" }, xml("priority", {}, p)))?.priority;

  it("a priority that is not a number is 0", () => {
    expect(priority("high")).toBe(0);
    expect(priority("")).toBe(0);
    expect(priority("-5")).toBe(-5);
    expect(priority("-1000")).toBe(-128);
  });
});
