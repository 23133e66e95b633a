// Presence subscriptions (RFC 6121 §3) as web/src/commands/roster/receive-presence.ts and
// approve-subscription.ts handle them, for each roster state: a request is approved at once when
// the contact already sees my presence (§3.1.3: subscription "from" or "both") or is someone I added
// (I see theirs, "to", or asked to: the mutual subscription I meant); anyone else waits for me. Approving asks back only when I do not see theirs yet and have not asked already.
import { xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";

let app: TestApp;
const sent = () => app.server.last.sent.map(String);
const incoming = (el: ReturnType<typeof xml>) => {
  app.server.last.receive(el);
  return app.facade.idle();
};
const subscribe = (from: string) => incoming(xml("presence", { from, type: "subscribe" }));

beforeEach(async () => {
  app = testApp();
  app.server.roster = [
    ["to@example.org", "To", "to"],
    ["from@example.org", "From", "from"],
    ["both@example.org", "Both", "both"],
    ["none@example.org", "None", "none"],
  ];
  await app.login();
  // I asked to see none@'s presence already: the server pushes ask="subscribe" (§3.1.2).
  app.server.last.handlers.rosterPush(
    xml(
      "iq",
      { type: "set" },
      xml(
        "query",
        { xmlns: "jabber:iq:roster" },
        xml("item", { jid: "asked@example.org", subscription: "none", ask: "subscribe" }),
      ),
    ),
  );
  await app.facade.idle();
  app.server.last.sent.length = 0;
});

describe("incoming subscription requests", () => {
  it("approves at once a contact who already sees my presence (from, both), or someone I added (to, or my request pending)", async () => {
    await subscribe("from@example.org/phone");
    await subscribe("both@example.org");
    await subscribe("to@example.org");
    await subscribe("asked@example.org");
    expect(sent()).toEqual([
      '<presence type="subscribed" to="from@example.org"/>',
      '<presence type="subscribed" to="both@example.org"/>',
      '<presence type="subscribed" to="to@example.org"/>',
      '<presence type="subscribed" to="asked@example.org"/>',
    ]);
    expect(app.facade.model.roster.requests.value).toEqual([]);
  });

  it("lists, never approves by itself, a request from anyone else: a stranger, or a contact I never asked", async () => {
    await subscribe("none@example.org");
    await subscribe("stranger@example.org");
    expect(sent()).toEqual([]);
    expect(app.facade.model.roster.requests.value).toEqual(["none@example.org", "stranger@example.org"]);
  });

  it("ignores my own presence, and an unsubscribe withdraws a listed request", async () => {
    await subscribe("alice@example.org/other");
    expect(app.facade.model.roster.requests.value).toEqual([]);
    await subscribe("stranger@example.org");
    await incoming(xml("presence", { from: "stranger@example.org", type: "unsubscribe" }));
    expect(app.facade.model.roster.requests.value).toEqual([]);
  });
});

describe("approving a request", () => {
  const approve = (jid: string) => app.facade.send("APPROVE_SUBSCRIPTION", { jid });

  it("asks back when I do not see their presence and have not asked (not in the roster, none, from)", async () => {
    for (const jid of ["stranger@example.org", "none@example.org", "from@example.org"]) await approve(jid);
    expect(sent()).toEqual([
      '<presence type="subscribed" to="stranger@example.org"/>',
      '<presence type="subscribe" to="stranger@example.org"/>',
      '<presence type="subscribed" to="none@example.org"/>',
      '<presence type="subscribe" to="none@example.org"/>',
      '<presence type="subscribed" to="from@example.org"/>',
      '<presence type="subscribe" to="from@example.org"/>',
    ]);
  });

  it("does not ask again when I already see their presence (to, both) or my request is pending", async () => {
    for (const jid of ["to@example.org", "both@example.org", "asked@example.org"]) await approve(jid);
    expect(sent()).toEqual([
      '<presence type="subscribed" to="to@example.org"/>',
      '<presence type="subscribed" to="both@example.org"/>',
      '<presence type="subscribed" to="asked@example.org"/>',
    ]);
  });
});
