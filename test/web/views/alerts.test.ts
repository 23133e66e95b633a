// Attention outside the page: the unread badge (Badging API), notifications while hidden, and the
// jittered back-off of reconnections.
import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { notifyWhileHidden, showUnreadBadge } from "../../../web/src/app/alerts";
import { backoffDelay } from "../../../web/src/model/xmpp/backoff";
import { testApp } from "../support/app";

describe("showUnreadBadge", () => {
  it("sets the total, clears it at zero, and does nothing where the API is missing", () => {
    const calls: string[] = [];
    const nav = {
      setAppBadge: async (n: number) => void calls.push(`set ${n}`),
      clearAppBadge: async () => void calls.push("clear"),
    } as unknown as Navigator;
    showUnreadBadge(3, nav);
    showUnreadBadge(0, nav);
    showUnreadBadge(2, {} as Navigator);
    expect(calls).toEqual(["set 3", "clear"]);
  });
});

describe("notifyWhileHidden", () => {
  const original = globalThis.Notification;
  afterEach(() => {
    globalThis.Notification = original;
  });

  it("notifies live incoming messages only while the page is hidden and permission was granted", async () => {
    const shown: Array<{ title: string; body?: string }> = [];
    let permission = "granted";
    globalThis.Notification = class {
      static get permission() {
        return permission;
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body });
      }
    } as unknown as typeof Notification;
    const app = testApp();
    await app.login();
    const doc = { hidden: true } as Document;
    notifyWhileHidden(app.facade, doc);
    const msg = (id: string, body: string) =>
      xml("message", { from: "bob@example.org/x", type: "chat", id }, xml("body", {}, body));
    app.server.last.receive(msg("1", "while hidden"));
    Object.assign(doc, { hidden: false });
    app.server.last.receive(msg("2", "while visible"));
    Object.assign(doc, { hidden: true });
    permission = "denied";
    app.server.last.receive(msg("3", "no permission"));
    await app.facade.idle();
    expect(shown).toEqual([{ title: "bob@example.org", body: "while hidden" }]);
  });

  it("a private message from a room occupant is titled 'nick (room)' and opens its own conversation", async () => {
    const shown: Array<{ title: string; tag?: string; onclick: (() => void) | null }> = [];
    globalThis.Notification = class {
      static permission = "granted";
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push(Object.assign(this, { title, tag: options?.tag }));
      }
    } as unknown as typeof Notification;
    const app = testApp();
    app.server.roomArchives.set("lobby@conference.example.org", []);
    await app.login();
    await app.facade.send("JOIN_ROOM", { room: "lobby@conference.example.org", nick: "alice", password: "" });
    notifyWhileHidden(app.facade, { hidden: true } as Document);
    app.server.last.receive(
      xml(
        "message",
        { from: "lobby@conference.example.org/bob", type: "chat", id: "pm1" },
        xml("body", {}, "psst"),
        xml("x", { xmlns: "http://jabber.org/protocol/muc#user" }),
      ),
    );
    await app.facade.idle();
    expect(shown.map((n) => [n.title, n.tag])).toEqual([
      ["bob (lobby@conference.example.org)", "lobby@conference.example.org/bob"],
    ]);
  });

  it("does not notify a retraction's fallback, a correction or a reaction; a reply without its quote", async () => {
    const shown: Array<string | undefined> = [];
    globalThis.Notification = class {
      static permission = "granted";
      onclick: (() => void) | null = null;
      constructor(_title: string, options?: NotificationOptions) {
        shown.push(options?.body);
      }
    } as unknown as typeof Notification;
    const app = testApp();
    await app.login();
    notifyWhileHidden(app.facade, { hidden: true } as Document);
    const msg = (id: string, body: string | null, ...extra: ReturnType<typeof xml>[]) =>
      xml("message", { from: "bob@example.org/x", type: "chat", id }, body === null ? null : xml("body", {}, body), ...extra);
    app.server.last.receive(
      msg("1", "/me retracted a message", xml("retract", { xmlns: "urn:xmpp:message-retract:1", id: "0" })),
    );
    app.server.last.receive(msg("2", "fixed", xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: "0" })));
    app.server.last.receive(
      msg("3", "👍", xml("reactions", { xmlns: "urn:xmpp:reactions:0", id: "0" }, xml("reaction", {}, "👍"))),
    );
    app.server.last.receive(
      msg(
        "4",
        "> hi\nyes",
        xml("reply", { xmlns: "urn:xmpp:reply:0", id: "0" }),
        xml("fallback", { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:reply:0" }, xml("body", { start: "0", end: "5" })),
      ),
    );
    await app.facade.idle();
    expect(shown).toEqual(["yes"]);
  });
});

describe("notifyWhileHidden in rooms", () => {
  const original = globalThis.Notification;
  afterEach(() => {
    globalThis.Notification = original;
  });

  it("notifies a mention of my nickname, not other room messages, and nothing from a muted room", async () => {
    const shown: Array<{ title: string; body?: string }> = [];
    globalThis.Notification = class {
      static permission = "granted";
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body });
      }
    } as unknown as typeof Notification;
    const app = testApp();
    const room = "lobby@conference.example.org";
    app.server.roomArchives.set(room, []);
    await app.login();
    notifyWhileHidden(app.facade, { hidden: true } as Document);
    const x = (codes: number[]) =>
      xml(
        "x",
        { xmlns: "http://jabber.org/protocol/muc#user" },
        xml("item", { affiliation: "none", role: "participant" }),
        ...codes.map((code) => xml("status", { code: String(code) })),
      );
    await app.facade.send("JOIN_ROOM", { room, nick: "alice", password: "" });
    app.server.last.receive(xml("presence", { from: `${room}/alice` }, x([110])));
    await app.facade.idle();
    const say = async (id: string, body: string) => {
      app.server.last.receive(xml("message", { from: `${room}/bob`, type: "groupchat", id }, xml("body", {}, body)));
      await app.facade.idle();
    };
    await say("1", "hello everyone");
    await say("2", "alice, look");
    await app.facade.send("MUTE_ROOM", { room, muted: true });
    await say("3", "alice again");
    expect(shown).toEqual([{ title: `bob in ${room}`, body: "alice, look" }]);
  });
});

describe("backoffDelay", () => {
  it("lies between half the ceiling and the ceiling", () => {
    expect([backoffDelay(1000, () => 0), backoffDelay(1000, () => 0.5), backoffDelay(30_000, () => 0.999)]).toEqual([
      500, 750, 29_985,
    ]);
  });
});
