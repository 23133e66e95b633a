// Entity capabilities (XEP-0115) as web/src/model/stanzas/caps.ts computes and answers them: the
// verification string and hash of the XEP's own example (§5.2), my presence's <c/>, and the
// disco#info answer for node#ver, no node, or another node (XEP-0030 §3.1 item-not-found).
import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import {
  CAPS_NODE,
  capsVer,
  discoInfoAnswer,
  myCapsVer,
  verificationString,
  withCaps,
} from "../../../web/src/model/stanzas/caps";
import { CLIENT_FEATURES, CLIENT_IDENTITY } from "../../../web/src/model/stanzas/client-features";

const EXODUS = [{ category: "client", type: "pc", name: "Exodus 0.9.1" }];
const EXODUS_FEATURES = [
  "http://jabber.org/protocol/disco#info",
  "http://jabber.org/protocol/disco#items",
  "http://jabber.org/protocol/muc",
  "http://jabber.org/protocol/caps",
];

describe("XEP-0115 ver", () => {
  it("matches the XEP's simple example (§5.2): features sorted, each ended by <", async () => {
    expect(verificationString(EXODUS, EXODUS_FEATURES)).toBe(
      "client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<" +
        "http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<",
    );
    expect(await capsVer(EXODUS, EXODUS_FEATURES)).toBe("QgayPKawpkPSDYmwT/WM94uAlu0=");
  });

  it("goes on my presence broadcasts only (not on directed or subscription presences, nor twice)", async () => {
    const ver = await myCapsVer();
    expect(ver).toBe(await capsVer([CLIENT_IDENTITY], CLIENT_FEATURES));
    const c = (el: ReturnType<typeof xml>) => withCaps(el, ver).getChildren("c", "http://jabber.org/protocol/caps");
    expect(c(xml("presence"))[0]?.attrs).toEqual({
      xmlns: "http://jabber.org/protocol/caps",
      hash: "sha-1",
      node: CAPS_NODE,
      ver,
    });
    expect(c(withCaps(xml("presence", {}, xml("show", {}, "away")), ver))).toHaveLength(1);
    expect(c(xml("presence", { type: "unavailable" }))).toHaveLength(0);
    expect(c(xml("presence", { type: "subscribe", to: "bob@example.org" }))).toHaveLength(0);
    expect(c(xml("presence", { to: "room@muc.example.org/me" }))).toHaveLength(0);
    expect(withCaps(xml("message"), ver).children).toHaveLength(0);
    expect(CLIENT_FEATURES).toContain("urn:xmpp:avatar:metadata+notify");
  });
});

describe("disco#info answer", () => {
  const query = (node?: string) => xml("query", { xmlns: "http://jabber.org/protocol/disco#info", node });

  it("answers node#ver and no node with my identity and every feature, echoing the node", async () => {
    const node = `${CAPS_NODE}#${await myCapsVer()}`;
    for (const asked of [node, undefined]) {
      const answer = await discoInfoAnswer(query(asked));
      expect(answer.attrs.node).toBe(asked);
      expect(answer.getChild("identity")?.attrs).toMatchObject({ category: "client", type: "web", name: "Porthole" });
      expect(answer.getChildren("feature").map((f) => f.attrs.var)).toEqual([...CLIENT_FEATURES]);
    }
  });

  it("refuses another node with item-not-found", async () => {
    const answer = await discoInfoAnswer(query(`${CAPS_NODE}#stale`));
    expect(answer.is("error")).toBe(true);
    expect(answer.getChild("item-not-found")).toBeTruthy();
  });
});
