// Room administration use cases against the fake entity: create (XEP-0045 §10.1: 201, owner form filled
// with the choices), an existing room joined as it is, a refused creation; rename (§10.2) and subject
// (§8.1) with their refusals; nickname change (§7.6: 303 keeps the new nickname, conflict refused);
// kick (§8.2) and ban (§9.1) with refusals as sentences; invitations in (XEP-0249 as Conversations sends
// them, §7.8.2 mediated as Prosody forwards them), accepted through JOIN_ROOM or declined (<decline/>),
// out (members-only: member first, as Converse.js does).
import { type Element, xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";

const ROOM = "team@conference.example.org";
const MUC_USER = "http://jabber.org/protocol/muc#user";
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

let app: TestApp;
const entity = () => app.server.last;
const sent = () => entity().sent;
const incoming = async (el: Element) => {
  entity().receive(el);
  await app.facade.idle();
};
const occupant = (
  nick: string,
  opts: { codes?: number[]; type?: string; role?: string; affiliation?: string; jid?: string; newNick?: string } = {},
) =>
  xml(
    "presence",
    { from: `${ROOM}/${nick}`, to: "alice@example.org/r", type: opts.type },
    xml(
      "x",
      { xmlns: MUC_USER },
      xml("item", {
        affiliation: opts.affiliation ?? "member",
        role: opts.role ?? "participant",
        jid: opts.jid,
        nick: opts.newNick,
      }),
      ...(opts.codes ?? []).map((code) => xml("status", { code: String(code) })),
    ),
  );
const presenceError = (nick: string, condition: string) =>
  xml(
    "presence",
    { from: `${ROOM}/${nick}`, type: "error" },
    xml("error", { type: "cancel" }, xml(condition, { xmlns: STANZAS })),
  );
const stanzaError = (condition: string) => Object.assign(new Error(condition), { condition });

/** Waits until the command under test has sent something matching (it awaits replies in between). */
async function until(what: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!what()) throw new Error("condition never met");
}

const CONFIG_FORM = xml(
  "iq",
  { type: "result", from: ROOM },
  xml(
    "query",
    { xmlns: "http://jabber.org/protocol/muc#owner" },
    xml(
      "x",
      { xmlns: "jabber:x:data", type: "form" },
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "http://jabber.org/protocol/muc#roomconfig")),
      xml("field", { var: "muc#roomconfig_roomname", type: "text-single" }, xml("value", {}, "")),
      xml("field", { var: "muc#roomconfig_membersonly", type: "boolean" }, xml("value", {}, "0")),
      xml("field", { var: "muc#roomconfig_enablearchiving", type: "boolean" }, xml("value", {}, "0")),
    ),
  ),
);

function submitted(iq: Element | undefined): Record<string, string | undefined> {
  const x = iq?.getChild("query", "http://jabber.org/protocol/muc#owner")?.getChild("x", "jabber:x:data");
  return Object.fromEntries((x?.getChildren("field") ?? []).map((f) => [f.attrs.var, f.getChildText("value") ?? undefined]));
}

async function joined(opts: { role?: string; affiliation?: string } = {}) {
  await app.facade.send("JOIN_ROOM", { room: ROOM, nick: "alice", password: "" });
  await incoming(occupant("bob", { jid: "bob@example.org/phone" }));
  await incoming(occupant("alice", { codes: [110], role: opts.role ?? "moderator", affiliation: opts.affiliation ?? "owner" }));
}

let failed: string[];
beforeEach(async () => {
  app = testApp();
  app.server.roomArchives.set(ROOM, []);
  await app.login();
  sent().length = 0;
  entity().requests.length = 0;
  failed = [];
  app.facade.subscribe("COMMAND_FAILED", (f) => failed.push(f.message));
});

describe("create a room", () => {
  it("joins, and on 201 submits the owner form with the choices (named, members-only, archived)", async () => {
    app.server.iqHandler = (iq) =>
      iq.attrs.type === "get" && iq.getChild("query", "http://jabber.org/protocol/muc#owner") ? CONFIG_FORM : undefined;
    const created: boolean[] = [];
    app.facade.subscribe("ROOM_CREATED", (c) => created.push(c.created));
    const done = app.facade.send("CREATE_ROOM", { room: ROOM, nick: "alice", name: " Team ", membersOnly: true, archived: true });
    await until(() => sent().some((s) => s.attrs.to === `${ROOM}/alice`));
    entity().receive(occupant("alice", { codes: [110, 201], role: "moderator", affiliation: "owner" }));
    await done;
    await app.facade.idle();
    expect(failed).toEqual([]);
    const submit = entity().requests.find(
      (r) => r.attrs.type === "set" && r.getChild("query", "http://jabber.org/protocol/muc#owner"),
    );
    expect(submitted(submit)).toEqual({
      FORM_TYPE: "http://jabber.org/protocol/muc#roomconfig",
      "muc#roomconfig_roomname": "Team",
      "muc#roomconfig_membersonly": "1",
      "muc#roomconfig_enablearchiving": "1",
    });
    expect(created).toEqual([true]);
    expect(app.facade.model.rooms.get(ROOM)?.name).toBe("Team");
  });

  it("a room that already exists is joined as it is, its configuration untouched", async () => {
    const created: boolean[] = [];
    app.facade.subscribe("ROOM_CREATED", (c) => created.push(c.created));
    const done = app.facade.send("CREATE_ROOM", { room: ROOM, nick: "alice", name: "", membersOnly: false, archived: true });
    await until(() => sent().some((s) => s.attrs.to === `${ROOM}/alice`));
    entity().receive(occupant("alice", { codes: [110] }));
    await done;
    expect(created).toEqual([false]);
    expect(entity().requests.some((r) => r.getChild("query", "http://jabber.org/protocol/muc#owner"))).toBe(false);
  });

  it("a service that does not allow creating rooms (Prosody restrict_room_creation) is a sentence", async () => {
    const done = app.facade.send("CREATE_ROOM", { room: ROOM, nick: "alice", name: "", membersOnly: true, archived: true });
    await until(() => sent().some((s) => s.attrs.to === `${ROOM}/alice`));
    entity().receive(presenceError("alice", "not-allowed"));
    await done;
    await app.facade.idle();
    expect(failed).toContain("This server does not allow you to create rooms. Join an existing room instead.");
  });
});

describe("name, subject, nickname", () => {
  it("renames through the owner form; a refusal is a sentence", async () => {
    await joined();
    app.server.iqHandler = (iq) => (iq.attrs.type === "get" ? CONFIG_FORM : undefined);
    await app.facade.send("RENAME_ROOM", { room: ROOM, name: "Plans" });
    // The owner form's submit (the bookmark with the new name is published after it).
    const submit = entity()
      .requests.filter((r) => r.getChild("query", "http://jabber.org/protocol/muc#owner"))
      .at(-1);
    expect(submitted(submit)["muc#roomconfig_roomname"]).toBe("Plans");
    expect(app.facade.model.rooms.get(ROOM)?.name).toBe("Plans");
    app.server.iqHandler = () => stanzaError("forbidden");
    await app.facade.send("RENAME_ROOM", { room: ROOM, name: "Mine" });
    expect(failed).toEqual(["Only the room's owners can change its settings."]);
  });

  it("sets the subject; a forbidden answer is a sentence", async () => {
    await joined({ role: "participant", affiliation: "member" });
    const done = app.facade.send("SET_SUBJECT", { room: ROOM, subject: "Friday" });
    await until(() => sent().some((s) => s.getChild("subject")));
    const ask = sent().find((s) => s.getChild("subject"));
    expect(ask?.attrs).toMatchObject({ type: "groupchat", to: ROOM });
    entity().receive(
      xml(
        "message",
        { from: ROOM, type: "error", id: ask?.attrs.id },
        xml("subject", {}, "Friday"),
        xml("error", { type: "auth" }, xml("forbidden", { xmlns: STANZAS })),
      ),
    );
    await done;
    expect(failed).toEqual(["You are not allowed to change the subject of this room."]);
  });

  it("changes the nickname: 303 keeps the new one; a nickname in use is a sentence", async () => {
    await joined();
    let done = app.facade.send("CHANGE_NICK", { room: ROOM, nick: "bob" });
    await until(() => sent().some((s) => s.attrs.to === `${ROOM}/bob`));
    entity().receive(presenceError("bob", "conflict"));
    await done;
    expect(failed).toEqual(["That nickname is already in use in this room. Choose another one."]);
    expect(app.facade.model.rooms.get(ROOM)?.nick).toBe("alice");
    done = app.facade.send("CHANGE_NICK", { room: ROOM, nick: "ally" });
    await until(() => sent().some((s) => s.attrs.to === `${ROOM}/ally`));
    entity().receive(
      occupant("alice", { type: "unavailable", codes: [303, 110], newNick: "ally", role: "moderator", affiliation: "owner" }),
    );
    entity().receive(occupant("ally", { codes: [110], role: "moderator", affiliation: "owner" }));
    await done;
    await app.facade.idle();
    const room = app.facade.model.rooms.get(ROOM);
    expect(room?.nick).toBe("ally");
    expect(room?.state).toBe("joined");
    expect([...(room?.occupants.keys() ?? [])].sort()).toEqual(["ally", "bob"]);
  });
});

describe("kick and ban", () => {
  it("kicks by nickname and bans by real JID, with the reason", async () => {
    await joined();
    await app.facade.send("KICK_OCCUPANT", { room: ROOM, nick: "bob", reason: " spam " });
    const kick = entity().requests.at(-1)?.getChild("query", "http://jabber.org/protocol/muc#admin")?.getChild("item");
    expect(kick?.attrs).toEqual({ nick: "bob", role: "none" });
    expect(kick?.getChildText("reason")).toBe("spam");
    await app.facade.send("BAN_OCCUPANT", { room: ROOM, nick: "bob", reason: "" });
    const ban = entity().requests.at(-1)?.getChild("query", "http://jabber.org/protocol/muc#admin")?.getChild("item");
    expect(ban?.attrs).toEqual({ affiliation: "outcast", jid: "bob@example.org" });
    expect(failed).toEqual([]);
  });

  it("says the room's refusals, and that an anonymous occupant cannot be banned", async () => {
    await joined({ role: "participant", affiliation: "member" });
    app.server.iqHandler = () => stanzaError("not-allowed");
    await app.facade.send("KICK_OCCUPANT", { room: ROOM, nick: "bob", reason: "" });
    await incoming(occupant("carol"));
    await app.facade.send("BAN_OCCUPANT", { room: ROOM, nick: "carol", reason: "" });
    expect(failed).toEqual([
      "You cannot remove this person: only moderators can, and never someone ranked above them.",
      "This room does not show that person's address to you, so they cannot be banned.",
    ]);
  });

  it("tells me who removed me and why (307 with actor and reason)", async () => {
    await joined({ role: "participant", affiliation: "member" });
    await incoming(
      xml(
        "presence",
        { from: `${ROOM}/alice`, type: "unavailable" },
        xml(
          "x",
          { xmlns: MUC_USER },
          xml("item", { affiliation: "none", role: "none" }, xml("actor", { nick: "bob" }), xml("reason", {}, "too loud")),
          xml("status", { code: "307" }),
          xml("status", { code: "110" }),
        ),
      ),
    );
    expect(app.facade.model.rooms.get(ROOM)).toMatchObject({
      state: "left",
      problem: "You were removed by bob. Reason: too loud",
    });
  });
});

describe("invitations", () => {
  it("a direct invitation as Conversations sends it becomes a prompt; accepting joins with its password", async () => {
    await incoming(
      xml(
        "message",
        { type: "normal", from: "bob@example.org/phone", to: "alice@example.org" },
        xml("x", { xmlns: "jabber:x:conference", jid: ROOM, password: "pw" }),
      ),
    );
    expect(app.facade.model.invitations.pending.value).toEqual([
      { room: ROOM, from: "bob@example.org", reason: "", password: "pw", kind: "direct" },
    ]);
    expect(app.facade.model.chats.live("bob@example.org").list.length).toBe(0);
    await app.facade.send("ACCEPT_INVITATION", { room: ROOM, nick: "alice" });
    const join = sent().at(-1);
    expect(join?.attrs.to).toBe(`${ROOM}/alice`);
    expect(join?.getChild("x", "http://jabber.org/protocol/muc")?.getChildText("password")).toBe("pw");
    expect(app.facade.model.invitations.pending.value).toEqual([]);
  });

  it("a mediated invitation is declined through the room, naming the inviter", async () => {
    await incoming(
      xml(
        "message",
        { from: ROOM, to: "alice@example.org" },
        xml("x", { xmlns: MUC_USER }, xml("invite", { from: "bob@example.org/phone" }, xml("reason", {}, "meeting"))),
        xml("body", {}, "bob invited you"),
      ),
    );
    expect(app.facade.model.invitations.get(ROOM)?.kind).toBe("mediated");
    expect(app.facade.model.chats.live(ROOM).list.length).toBe(0);
    await app.facade.send("DECLINE_INVITATION", { room: ROOM, reason: "" });
    const decline = sent().at(-1);
    expect(decline?.attrs.to).toBe(ROOM);
    expect(decline?.getChild("x", MUC_USER)?.getChild("decline")?.attrs.to).toBe("bob@example.org");
    expect(app.facade.model.invitations.pending.value).toEqual([]);
  });

  it("invites a contact: in a members-only room, as owner, makes them a member first", async () => {
    await joined();
    app.server.iqHandler = (iq) =>
      iq.getChild("query", "http://jabber.org/protocol/disco#info")
        ? xml(
            "iq",
            { type: "result" },
            xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }, xml("feature", { var: "muc_membersonly" })),
          )
        : undefined;
    await app.facade.send("INVITE_CONTACT", { room: ROOM, jid: " Carol@Example.org ", reason: "join us" });
    const member = entity().requests.at(-1)?.getChild("query", "http://jabber.org/protocol/muc#admin")?.getChild("item");
    expect(member?.attrs).toEqual({ affiliation: "member", jid: "carol@example.org" });
    const invite = sent().at(-1);
    expect(invite?.attrs.to).toBe("carol@example.org");
    expect(invite?.getChild("x", "jabber:x:conference")?.attrs).toMatchObject({ jid: ROOM, reason: "join us" });
    await app.facade.send("INVITE_CONTACT", { room: ROOM, jid: "not an address", reason: "" });
    expect(failed).toEqual(["Enter the contact's address as name@example.org."]);
  });
});
