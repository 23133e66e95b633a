// Commands of the session use cases (startup, login, logout, reconnection) against a fake XMPP entity.
import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { flush, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

describe("login", () => {
  it("connects to this host's /xmpp-websocket, reports VALID_LOGIN, fetches the roster and sends presence", async () => {
    const app = testApp();
    await app.login();
    const entity = app.server.last;
    expect(entity.options).toMatchObject({ service: "ws://chat.test/xmpp-websocket", domain: "example.org", username: "alice" });
    expect(app.names()).toEqual(["VALID_LOGIN", "ONLINE"]);
    expect(app.facade.model.xmpp.state.value).toBe("online");
    // roster get (RFC 6121), the room bookmarks (XEP-0402), carbons on (XEP-0280), the newest archive page
    // (XEP-0313) on a new device.
    expect(entity.requests[0]?.toString()).toBe('<iq type="get"><query xmlns="jabber:iq:roster"/></iq>');
    expect(entity.requests.slice(1).map((r) => r.getChildElements()[0]?.attrs.xmlns)).toEqual([
      "urn:xmpp:blocking",
      "http://jabber.org/protocol/pubsub",
      "urn:xmpp:carbons:2",
      "urn:xmpp:mam:2",
    ]);
    expect(entity.sent.map(String)).toEqual(["<presence/>"]);
    await flush();
    expect(app.facade.model.roster.contacts.value.map((c) => c.jid)).toEqual(["bob@example.org"]);
    expect(app.storage.get("porthole.address")).toBe("alice@example.org");
  });

  it("reports INVALID_LOGIN on a wrong password and stays offline", async () => {
    const app = testApp();
    await app.login("wrong");
    expect(app.names()).toEqual(["INVALID_LOGIN"]);
    expect(app.facade.model.xmpp.state.value).toBe("offline");
    expect(app.server.last.stopped).toBe(true);
    expect(app.server.entities).toHaveLength(1);
    expect(app.storage.has("porthole.address")).toBe(false);
  });

  it("refuses a malformed address without connecting", async () => {
    const app = testApp();
    await app.facade.send("LOGIN", { address: "alice", password: "x", websocketUrl: "" });
    expect(app.names()).toEqual(["INVALID_LOGIN"]);
    expect(app.server.entities).toHaveLength(0);
  });

  it("falls back to XEP-0156 discovery when this host has no XMPP, then reports UNREACHABLE if nothing answers", async () => {
    const asked: string[] = [];
    const app = testApp(async (url) => {
      asked.push(String(url));
      return Response.json({ links: [{ rel: "urn:xmpp:alt-connections:websocket", href: "wss://xmpp.example.org/ws" }] });
    });
    app.server.reachable.clear();
    await app.login();
    // Then this site's /healthz, to tell the user why (login-causes.test.ts).
    expect(asked).toEqual([
      "http://chat.test/.well-known/host-meta.json",
      "https://example.org/.well-known/host-meta.json",
      "http://chat.test/healthz",
    ]);
    expect(app.server.entities.map((e) => e.options.service)).toEqual([
      "ws://chat.test/xmpp-websocket",
      "wss://xmpp.example.org/ws",
    ]);
    expect(app.names()).toEqual(["UNREACHABLE"]);
    expect(app.facade.model.xmpp.state.value).toBe("offline");
  });

  it("logs in through a discovered endpoint", async () => {
    const app = testApp(async () =>
      Response.json({ links: [{ rel: "urn:xmpp:alt-connections:websocket", href: "wss://xmpp.example.org/ws" }] }),
    );
    app.server.reachable.clear();
    app.server.reachable.add("wss://xmpp.example.org/ws");
    await app.login();
    expect(app.names()).toEqual(["VALID_LOGIN", "ONLINE"]);
  });

  const OWN_ONLY = "default-src 'none'; connect-src 'self' ws://chat.test/xmpp-websocket";

  it("never opens or fetches what the page's CSP forbids: discovery on the JID's domain is skipped and named", async () => {
    const asked: string[] = [];
    const app = testApp(
      async (url) => {
        asked.push(String(url));
        return new Response("", { status: 404 });
      },
      [],
      undefined,
      undefined,
      OWN_ONLY,
    );
    app.server.reachable.clear();
    await app.login();
    // Only this site's own host-meta (where its WebSocket is) and /healthz (connect-src 'self'), asked
    // why its chat server failed.
    expect(asked).toEqual(["http://chat.test/.well-known/host-meta.json", "http://chat.test/healthz"]);
    expect(app.server.entities.map((e) => e.options.service)).toEqual(["ws://chat.test/xmpp-websocket"]);
    expect(app.heard.at(-1)).toEqual({
      name: "UNREACHABLE",
      body: {
        message:
          "Cannot reach this site's chat server. This site is not allowed to connect to example.org: ask its operator to add it to XMPP_CONNECT_SRC.",
      },
    });
  });

  it("refuses an explicit endpoint the page's CSP forbids without opening it", async () => {
    const app = testApp(undefined, [], undefined, undefined, OWN_ONLY);
    app.server.reachable.add("wss://other.example/xmpp");
    await app.facade.send("LOGIN", {
      address: "alice@example.org",
      password: "secret",
      websocketUrl: "wss://other.example/xmpp",
    });
    expect(app.server.entities).toHaveLength(0);
    expect(app.heard.at(-1)).toEqual({
      name: "UNREACHABLE",
      body: { message: "This site is not allowed to connect to other.example: ask its operator to add it to XMPP_CONNECT_SRC." },
    });
  });

  it("discovers and logs in through hosts the operator added to the CSP (XMPP_CONNECT_SRC)", async () => {
    const asked: string[] = [];
    const app = testApp(
      async (url) => {
        asked.push(String(url));
        return Response.json({ links: [{ rel: "urn:xmpp:alt-connections:websocket", href: "wss://xmpp.example.org/ws" }] });
      },
      [],
      undefined,
      undefined,
      `${OWN_ONLY} https://example.org wss://*.example.org`,
    );
    app.server.reachable.clear();
    app.server.reachable.add("wss://xmpp.example.org/ws");
    await app.login();
    expect(asked).toEqual(["http://chat.test/.well-known/host-meta.json", "https://example.org/.well-known/host-meta.json"]);
    expect(app.names()).toEqual(["VALID_LOGIN", "ONLINE"]);
  });

  it("says so when the page's security policy blocked the endpoint (policy unknown: tried, then reported)", async () => {
    const app = testApp(undefined, ["wss://other.example"], undefined, undefined, null);
    await app.facade.send("LOGIN", {
      address: "alice@example.org",
      password: "secret",
      websocketUrl: "wss://other.example/xmpp",
    });
    expect(app.heard.at(-1)).toEqual({
      name: "UNREACHABLE",
      body: { message: expect.stringContaining("not allowed to connect to other.example") },
    });
  });

  it("uses only the explicit WebSocket URL when one is given, and rejects non-WebSocket URLs", async () => {
    const app = testApp();
    app.server.reachable.add("wss://other.example/xmpp");
    await app.facade.send("LOGIN", {
      address: "alice@example.org",
      password: "secret",
      websocketUrl: "wss://other.example/xmpp",
    });
    expect(app.server.entities.map((e) => e.options.service)).toEqual(["wss://other.example/xmpp"]);
    const app2 = testApp();
    await app2.facade.send("LOGIN", { address: "alice@example.org", password: "secret", websocketUrl: "https://evil.example/" });
    expect(app2.names()).toEqual(["UNREACHABLE"]);
    expect(app2.server.entities).toHaveLength(0);
  });
});

describe("startup", () => {
  it("restores the last address, never a password", async () => {
    const app = testApp();
    app.storage.set("porthole.address", "alice@example.org");
    await app.facade.send("STARTUP");
    expect(app.facade.model.xmpp.lastAddress.value).toBe("alice@example.org");
  });
});

describe("disconnect and reconnection", () => {
  it("shows DISCONNECT, reconnects, re-fetches the roster, resends presence and flushes queued messages", async () => {
    const app = testApp();
    await app.login();
    const entity = app.server.last;
    entity.receive(xml("presence", { from: "bob@example.org/phone" }));
    await app.facade.idle();
    entity.drop();
    expect(app.facade.model.xmpp.state.value).toBe("reconnecting");
    await app.facade.send("SEND_MESSAGE", { to: "bob@example.org", body: "while offline" });
    expect(messagesWith(app.facade.model.chats, "bob@example.org")[0]?.state).toBe("queued");
    entity.sent.length = 0;
    entity.reconnect();
    await app.facade.idle();
    expect(app.names()).toContain("DISCONNECT");
    expect(app.heard.at(-1)).toEqual({ name: "ONLINE", body: { jid: entity.fullJid, reconnected: true } });
    expect(entity.requests).toHaveLength(5 * 2);
    expect(entity.sent.map(String)[0]).toBe("<presence/>");
    expect(entity.sent[1]?.getChildText("body")).toBe("while offline");
    expect(messagesWith(app.facade.model.chats, "bob@example.org")[0]?.state).toBe("sent");
    await flush();
    // Presences of the old session are forgotten: bob is offline until he says otherwise.
    expect(app.facade.model.roster.contacts.value[0]?.availability).toBe("offline");
  });
});

describe("reconnect", () => {
  it("asks the entity to retry now only while reconnecting", async () => {
    const app = testApp();
    await app.login();
    const entity = app.server.last;
    await app.facade.send("RECONNECT");
    expect(entity.reconnectsRequested).toBe(0);
    entity.drop();
    await app.facade.send("RECONNECT");
    expect(entity.reconnectsRequested).toBe(1);
  });
});

describe("credentials refused on reconnection", () => {
  it("ends the session like a logout and asks for the password again", async () => {
    const app = testApp();
    await app.login();
    const entity = app.server.last;
    app.server.last.receive(xml("message", { from: "bob@example.org/x", id: "1", type: "chat" }, xml("body", {}, "hi")));
    entity.drop();
    entity.reconnectRefused();
    await app.facade.idle();
    await flush();
    const { model } = app.facade;
    expect(app.heard.at(-1)?.name).toBe("INVALID_LOGIN");
    expect(model.xmpp.state.value).toBe("offline");
    expect(entity.stopped).toBe(true);
    expect(model.roster.contacts.value).toEqual([]);
    expect(model.chats.totalUnread.value).toBe(0);
  });
});

describe("logout", () => {
  it("stops the entity and clears roster, chats, requests and presence", async () => {
    const app = testApp();
    await app.login();
    const { model } = app.facade;
    await app.facade.send("SET_PRESENCE", { show: "away", status: "lunch" });
    app.server.last.receive(xml("message", { from: "bob@example.org/x", id: "1", type: "chat" }, xml("body", {}, "hi")));
    app.server.last.receive(xml("presence", { from: "eve@example.org", type: "subscribe" }));
    await app.facade.idle();
    expect(model.chats.totalUnread.value).toBe(1);
    await app.facade.send("LOGOUT", { clearHistory: false });
    await flush();
    expect(app.server.last.stopped).toBe(true);
    expect(model.xmpp.state.value).toBe("offline");
    expect(model.xmpp.jid.value).toBeNull();
    expect(model.roster.contacts.value).toEqual([]);
    expect(model.roster.requests.value).toEqual([]);
    expect(model.chats.totalUnread.value).toBe(0);
    expect(messagesWith(model.chats, "bob@example.org")).toEqual([]);
    expect(model.xmpp.presence.value).toEqual({ show: "available", status: "" });
  });
});
