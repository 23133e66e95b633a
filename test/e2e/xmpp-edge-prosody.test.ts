// The Prosody test helper itself (test/support/prosody.ts): real Debian Prosody 0.12 on 127.0.0.1,
// direct RFC 7395 login (no worker), accounts kept across restart, register while running, crash-kill.
import { type AddressInfo, createServer } from "node:net";
import { xml } from "@xmpp/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { connectUser, type XmppUser } from "../support/xmpp-user";

const DISCO_INFO = "http://jabber.org/protocol/disco#info";

describe("test/support/prosody.ts", () => {
  let xmpp: ProsodyServer;
  const users: XmppUser[] = [];
  const login = async (username: string, password: string) => {
    const u = await connectUser({ service: xmpp.wsUrl, domain: xmpp.domain, username, password });
    users.push(u);
    return u;
  };

  beforeAll(async () => {
    xmpp = await startProsody({ users: { alice: "alice-pw", bob: "bob-pw" } });
  });
  afterAll(async () => {
    for (const u of users) await u.stop();
    await xmpp?.stop();
  });

  it("serves RFC 7395 on wsUrl and c2s on its own port, with the requested modules", async () => {
    expect(xmpp.wsUrl).toBe(`ws://127.0.0.1:${xmpp.httpPort}/xmpp-websocket`);
    expect(xmpp.c2sPort).not.toBe(xmpp.httpPort);
    const alice = await login("alice", "alice-pw");
    const bob = await login("bob", "bob-pw");
    expect(alice.jid).toMatch(/^alice@localhost\//);
    await alice.send(`bob@${xmpp.domain}`, "hello bob, directly");
    await bob.waitForBody("hello bob, directly");
    expect(bob.received).toContainEqual({ from: "alice@localhost", body: "hello bob, directly" });
    await alice.ping();
    const features = async (to: string) => {
      const info = await alice.client.iqCaller.request(
        xml("iq", { type: "get", to }, xml("query", { xmlns: DISCO_INFO })),
        20_000,
      );
      return info
        .getChild("query", DISCO_INFO)
        ?.getChildren("feature")
        .map((f) => f.attrs.var);
    };
    expect(await features(xmpp.domain)).toEqual(expect.arrayContaining(["urn:xmpp:ping", "urn:xmpp:carbons:2"]));
    expect(await features("alice@localhost")).toEqual(expect.arrayContaining(["urn:xmpp:mam:2"]));
  });

  it("rejects a wrong password", async () => {
    await expect(
      connectUser({ service: xmpp.wsUrl, domain: xmpp.domain, username: "alice", password: "nope" }),
    ).rejects.toThrow();
  });

  it("moves to free ports when a preferred one is taken by another process", async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const taken = (squatter.address() as AddressInfo).port;
    const other = await startProsody({ httpPort: taken, users: { dave: "dave-pw" } });
    try {
      expect(other.httpPort).not.toBe(taken);
      const dave = await connectUser({ service: other.wsUrl, domain: other.domain, username: "dave", password: "dave-pw" });
      users.push(dave);
      expect(dave.status()).toBe("online");
    } finally {
      await other.stop();
      squatter.close();
    }
  });

  it("registers accounts while running, and keeps them across kill + restart", async () => {
    xmpp.register("carol", "carol-pw");
    const carol = await login("carol", "carol-pw");
    const before = xmpp.pid();
    expect(before).toBeTypeOf("number");
    await xmpp.kill();
    expect(xmpp.pid()).toBeUndefined();
    await xmpp.restart();
    expect(xmpp.pid()).toBeTypeOf("number");
    expect(xmpp.pid()).not.toBe(before);
    const again = await login("carol", "carol-pw");
    expect(again.status()).toBe("online");
    expect(carol.statuses).toContain("disconnect");
  });
});
