// Room administration stanzas (web/src/model/stanzas/muc-admin.ts, data-form.ts): XEP-0045 §7.6, §7.8,
// §8.1, §8.2, §9.1, §10; XEP-0249; XEP-0004. Outgoing stanzas are compared with what Converse.js
// (src/headless/plugins/muc/muc.js: setRole, setNickname, setSubject, directInvite, sendConfiguration;
// affiliations/utils.js: sendAffiliationIQ) and Conversations (generator/MessageGenerator.java:
// directInvite, invite, conferenceSubject; parser/MessageParser.java: extractInvite) send; incoming ones
// are built as those clients and Prosody 0.12 send them.
import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { parseDataForm, readBoolean, submitForm } from "../../../web/src/model/stanzas/data-form";
import {
  declineInvitation,
  directInvitation,
  mediatedInvitation,
  parseDecline,
  parseInvitation,
} from "../../../web/src/model/stanzas/invitations";
import {
  banRequest,
  configRequest,
  configSubmit,
  isMembersOnly,
  isPrivateMessageFrom,
  kickRequest,
  nickChange,
  parseConfigForm,
  privateMessage,
  removalDetail,
  roomConfigChanges,
  roomInfoRequest,
  subjectChange,
} from "../../../web/src/model/stanzas/muc-admin";

const ROOM = "team@conference.localhost";

/** The configuration form Prosody 0.12 sends (muc.lib.lua get_form_layout, with mod_muc_mam). */
function prosodyConfigResult() {
  const field = (attrs: Record<string, string>, ...values: string[]) =>
    xml("field", attrs, ...values.map((v) => xml("value", {}, v)));
  return xml(
    "iq",
    { type: "result", from: ROOM, id: "c1" },
    xml(
      "query",
      { xmlns: "http://jabber.org/protocol/muc#owner" },
      xml(
        "x",
        { xmlns: "jabber:x:data", type: "form" },
        xml("title", {}, "Configuration for team@conference.localhost"),
        field({ var: "FORM_TYPE", type: "hidden" }, "http://jabber.org/protocol/muc#roomconfig"),
        field({ type: "fixed" }, "Room information"),
        field({ var: "muc#roomconfig_roomname", type: "text-single", label: "Title" }, ""),
        field({ var: "muc#roomconfig_persistentroom", type: "boolean", label: "Persistent" }, "0"),
        field({ var: "muc#roomconfig_membersonly", type: "boolean" }, "0"),
        field({ var: "muc#roomconfig_publicroom", type: "boolean" }, "1"),
        xml(
          "field",
          { var: "muc#roomconfig_whois", type: "list-single" },
          xml("value", {}, "moderators"),
          xml("option", { label: "Moderators only" }, xml("value", {}, "moderators")),
          xml("option", { label: "Anyone" }, xml("value", {}, "anyone")),
        ),
        field({ var: "muc#roomconfig_enablearchiving", type: "boolean" }, "0"),
        field({ var: "muc#roomconfig_historylength", type: "text-single" }, "20"),
      ),
    ),
  );
}

describe("room configuration (§10, XEP-0004)", () => {
  it("asks the room for its form with an empty muc#owner query (Converse.js fetchRoomConfiguration)", () => {
    expect(configRequest(ROOM).toString()).toBe(
      `<iq type="get" to="${ROOM}"><query xmlns="http://jabber.org/protocol/muc#owner"/></iq>`,
    );
  });

  it("parses Prosody's form: FORM_TYPE, types, labels, options, values", () => {
    const form = parseConfigForm(prosodyConfigResult());
    expect(form?.formType).toBe("http://jabber.org/protocol/muc#roomconfig");
    expect(form?.title).toBe("Configuration for team@conference.localhost");
    const whois = form?.fields.find((f) => f.var === "muc#roomconfig_whois");
    expect(whois).toEqual({
      var: "muc#roomconfig_whois",
      type: "list-single",
      label: "",
      values: ["moderators"],
      options: [
        { label: "Moderators only", value: "moderators" },
        { label: "Anyone", value: "anyone" },
      ],
    });
    expect(form && readBoolean(form, "muc#roomconfig_publicroom")).toBe(true);
    expect(form && readBoolean(form, "no-such-field", true)).toBe(true);
    expect(parseConfigForm(xml("iq", { type: "result" }))).toBeNull();
  });

  it("submits every offered field, the choices replacing the server's values, never a fixed field nor an unoffered one", () => {
    const form = parseConfigForm(prosodyConfigResult());
    if (!form) throw new Error("no form");
    const changes = roomConfigChanges({ name: "Team", membersOnly: true, persistent: true, archived: true });
    const iq = configSubmit(ROOM, form, changes);
    const x = iq.getChild("query", "http://jabber.org/protocol/muc#owner")?.getChild("x", "jabber:x:data");
    expect(iq.attrs).toMatchObject({ type: "set", to: ROOM });
    expect(x?.attrs.type).toBe("submit");
    const values = Object.fromEntries(
      (x?.getChildren("field") ?? []).map((f) => [f.attrs.var, f.getChildren("value").map((v) => v.text())]),
    );
    expect(values).toEqual({
      FORM_TYPE: ["http://jabber.org/protocol/muc#roomconfig"],
      "muc#roomconfig_roomname": ["Team"],
      "muc#roomconfig_persistentroom": ["1"],
      "muc#roomconfig_membersonly": ["1"],
      "muc#roomconfig_publicroom": ["0"],
      "muc#roomconfig_whois": ["anyone"],
      "muc#roomconfig_enablearchiving": ["1"],
      "muc#roomconfig_historylength": ["20"],
    });
    // the hidden FORM_TYPE keeps its type (XEP-0004 §3.4 / XEP-0068), `mam` (ejabberd's name) was not offered
    expect(x?.getChildren("field").find((f) => f.attrs.var === "FORM_TYPE")?.attrs.type).toBe("hidden");
  });

  it("an open room is public and pseudonymous", () => {
    expect(roomConfigChanges({ membersOnly: false })).toEqual({
      "muc#roomconfig_membersonly": "0",
      "muc#roomconfig_publicroom": "1",
      "muc#roomconfig_whois": "moderators",
    });
  });

  it("without a form, accepts the defaults with an empty submit (§10.1.2 instant room)", () => {
    expect(configSubmit(ROOM, null).toString()).toBe(
      `<iq type="set" to="${ROOM}"><query xmlns="http://jabber.org/protocol/muc#owner"><x xmlns="jabber:x:data" type="submit"/></query></iq>`,
    );
  });

  it("a form with a multi-valued field keeps all its values", () => {
    const form = parseDataForm(
      xml(
        "x",
        { xmlns: "jabber:x:data", type: "form" },
        xml("field", { var: "m", type: "list-multi" }, xml("value", {}, "a"), xml("value", {}, "b")),
      ),
    );
    if (!form) throw new Error("no form");
    expect(submitForm(form, {}).toString()).toBe(
      '<x xmlns="jabber:x:data" type="submit"><field var="m"><value>a</value><value>b</value></field></x>',
    );
    expect(
      submitForm(form, { m: ["c"] })
        .getChild("field")
        ?.getChildText("value"),
    ).toBe("c");
  });
});

describe("room features (§6.4)", () => {
  it("asks disco#info and reads muc_membersonly", () => {
    expect(roomInfoRequest(`${ROOM}/me`).toString()).toBe(
      `<iq type="get" to="${ROOM}"><query xmlns="http://jabber.org/protocol/disco#info"/></iq>`,
    );
    const info = (features: string[]) =>
      xml(
        "iq",
        { type: "result" },
        xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }, ...features.map((f) => xml("feature", { var: f }))),
      );
    expect(isMembersOnly(info(["muc_membersonly", "muc_persistent"]))).toBe(true);
    expect(isMembersOnly(info(["muc_open"]))).toBe(false);
    expect(isMembersOnly(xml("iq", { type: "result" }))).toBe(false);
  });
});

describe("subject, nickname, moderation", () => {
  it("a subject is a groupchat message with only <subject/> (Conversations conferenceSubject, Converse.js setSubject)", () => {
    expect(subjectChange(`${ROOM}/me`, "Plans <for> Friday", "s1").toString()).toBe(
      `<message type="groupchat" to="${ROOM}" id="s1"><subject>Plans &lt;for&gt; Friday</subject></message>`,
    );
  });

  it("a nickname change is a presence to the new occupant JID (Converse.js setNickname)", () => {
    expect(nickChange(ROOM, "Alice B", "n1").toString()).toBe(`<presence to="${ROOM}/Alice B" id="n1"/>`);
  });

  it("kick sets role none by nickname, with the reason (Converse.js setRole)", () => {
    expect(kickRequest(ROOM, "bob", "spam").toString()).toBe(
      `<iq type="set" to="${ROOM}"><query xmlns="http://jabber.org/protocol/muc#admin"><item nick="bob" role="none"><reason>spam</reason></item></query></iq>`,
    );
    expect(kickRequest(ROOM, "bob", "").getChild("query")?.getChild("item")?.getChild("reason")).toBeUndefined();
  });

  it("ban sets affiliation outcast on the bare JID (Converse.js sendAffiliationIQ)", () => {
    expect(banRequest(ROOM, "Bob@localhost/phone", "trolling").toString()).toBe(
      `<iq type="set" to="${ROOM}"><query xmlns="http://jabber.org/protocol/muc#admin"><item affiliation="outcast" jid="bob@localhost"><reason>trolling</reason></item></query></iq>`,
    );
  });

  it("reads who removed an occupant and why (§8.2 example 88)", () => {
    const kicked = xml(
      "presence",
      { from: `${ROOM}/bob`, type: "unavailable" },
      xml(
        "x",
        { xmlns: "http://jabber.org/protocol/muc#user" },
        xml("item", { affiliation: "none", role: "none" }, xml("actor", { nick: "alice" }), xml("reason", {}, "spam")),
        xml("status", { code: "307" }),
        xml("status", { code: "110" }),
      ),
    );
    expect(removalDetail(kicked)).toEqual({ reason: "spam", actor: "alice" });
    expect(removalDetail(xml("presence", { from: `${ROOM}/bob`, type: "unavailable" }))).toEqual({ reason: "", actor: "" });
  });
});

describe("invitations (XEP-0249, XEP-0045 §7.8)", () => {
  it("builds a direct invitation like Converse.js directInvite (jid, reason, password attributes)", () => {
    expect(directInvitation("bob@localhost", `${ROOM}/me`, "i1", "join us", "secret").toString()).toBe(
      `<message to="bob@localhost" id="i1"><x xmlns="jabber:x:conference" jid="${ROOM}" reason="join us" password="secret"/></message>`,
    );
    expect(directInvitation("bob@localhost", ROOM, "i2").toString()).toBe(
      `<message to="bob@localhost" id="i2"><x xmlns="jabber:x:conference" jid="${ROOM}"/></message>`,
    );
  });

  it("builds a mediated invitation and a decline, both to the room", () => {
    expect(mediatedInvitation(ROOM, "bob@localhost/x", "m1", "hi").toString()).toBe(
      `<message to="${ROOM}" id="m1"><x xmlns="http://jabber.org/protocol/muc#user"><invite to="bob@localhost"><reason>hi</reason></invite></x></message>`,
    );
    expect(declineInvitation(ROOM, "alice@localhost", "d1", "busy").toString()).toBe(
      `<message to="${ROOM}" id="d1"><x xmlns="http://jabber.org/protocol/muc#user"><decline to="alice@localhost"><reason>busy</reason></decline></x></message>`,
    );
  });

  it("reads a direct invitation as Conversations sends it (type normal, jid and password only)", () => {
    const el = xml(
      "message",
      { type: "normal", from: "alice@localhost/phone", to: "bob@localhost" },
      xml("x", { xmlns: "jabber:x:conference", jid: ROOM, password: "pw" }),
    );
    expect(parseInvitation(el)).toEqual({ room: ROOM, from: "alice@localhost", reason: "", password: "pw", kind: "direct" });
  });

  it("reads a direct invitation as Converse.js sends it (reason attribute)", () => {
    const el = xml(
      "message",
      { from: "alice@localhost/web", id: "x" },
      xml("x", { xmlns: "jabber:x:conference", jid: ROOM, reason: "come" }),
    );
    expect(parseInvitation(el)?.reason).toBe("come");
  });

  it("reads a mediated invitation as the room forwards it (§7.8.2 example 57), password beside the invite", () => {
    const el = xml(
      "message",
      { from: ROOM, to: "bob@localhost" },
      xml(
        "x",
        { xmlns: "http://jabber.org/protocol/muc#user" },
        xml("invite", { from: "alice@localhost/phone" }, xml("reason", {}, "meeting")),
        xml("password", {}, "cauldron"),
      ),
      xml("body", {}, "alice@localhost invited you to the room"),
    );
    expect(parseInvitation(el)).toEqual({
      room: ROOM,
      from: "alice@localhost",
      reason: "meeting",
      password: "cauldron",
      kind: "mediated",
    });
  });

  it("keeps the occupant JID of an inviter the room hides (Prosody 0.12 semi-anonymous), and declines to it", () => {
    // As captured from Prosody 0.12: <invite from> is the inviter's occupant JID, plus a compat conference x.
    const el = xml(
      "message",
      { from: ROOM, to: "alice@localhost" },
      xml(
        "x",
        { xmlns: "http://jabber.org/protocol/muc#user" },
        xml("invite", { from: `${ROOM}/carol` }, xml("reason", {}, "come up")),
      ),
      xml("body", {}, `${ROOM}/carol invited you to the room ${ROOM} (come up)`),
      xml("x", { xmlns: "jabber:x:conference", jid: ROOM }, "come up"),
    );
    const invitation = parseInvitation(el);
    expect(invitation).toMatchObject({ room: ROOM, from: `${ROOM}/carol`, reason: "come up", kind: "mediated" });
    expect(
      declineInvitation(ROOM, invitation?.from ?? "", "d2")
        .getChild("x")
        ?.getChild("decline")?.attrs.to,
    ).toBe(`${ROOM}/carol`);
  });

  it("refuses a forged mediated invitation (from an occupant JID, or without an inviter), errors and bad room addresses", () => {
    const invite = (from: string, inviteAttrs: Record<string, string>) =>
      xml("message", { from }, xml("x", { xmlns: "http://jabber.org/protocol/muc#user" }, xml("invite", inviteAttrs)));
    expect(parseInvitation(invite(`${ROOM}/mallory`, { from: "alice@localhost" }))).toBeNull();
    expect(parseInvitation(invite(ROOM, {}))).toBeNull();
    expect(parseInvitation(invite("conference.localhost", { from: "alice@localhost" }))).toBeNull();
    const direct = (jid: string, type?: string) =>
      xml("message", { from: "alice@localhost/x", type }, xml("x", { xmlns: "jabber:x:conference", jid }));
    expect(parseInvitation(direct("not a room"))).toBeNull();
    expect(parseInvitation(direct(`${ROOM}/nick`))).toBeNull();
    expect(parseInvitation(direct(ROOM, "error"))).toBeNull();
    expect(parseInvitation(xml("message", { from: "alice@localhost" }, xml("body", {}, "hi")))).toBeNull();
  });

  it("reads a decline forwarded by the room", () => {
    const el = xml(
      "message",
      { from: ROOM },
      xml(
        "x",
        { xmlns: "http://jabber.org/protocol/muc#user" },
        xml("decline", { from: "bob@localhost" }, xml("reason", {}, "busy")),
      ),
    );
    expect(parseDecline(el)).toEqual({ room: ROOM, from: "bob@localhost", reason: "busy" });
    expect(parseInvitation(el)).toBeNull();
  });
});

describe("private messages (§7.5)", () => {
  it("are type chat to the occupant JID with an empty muc#user x, as Conversations sends them", () => {
    const el = privateMessage(`${ROOM}/bob`, "psst", "p1");
    expect(el.attrs).toEqual({ type: "chat", to: `${ROOM}/bob`, id: "p1" });
    expect(el.getChild("x", "http://jabber.org/protocol/muc#user")?.children).toEqual([]);
    expect(el.getChildText("body")).toBe("psst");
    expect(el.getChild("origin-id", "urn:xmpp:sid:0")?.attrs.id).toBe("p1");
  });

  it("are recognised only from an occupant of a room I am in", () => {
    const rooms = new Set([ROOM]);
    const pm = (from: string, type = "chat") =>
      xml("message", { from, type }, xml("body", {}, "hi"), xml("x", { xmlns: "http://jabber.org/protocol/muc#user" }));
    expect(isPrivateMessageFrom(pm(`${ROOM}/bob`), rooms)).toBe(true);
    expect(isPrivateMessageFrom(pm(ROOM), rooms)).toBe(false);
    expect(isPrivateMessageFrom(pm(`${ROOM}/bob`, "groupchat"), rooms)).toBe(false);
    expect(isPrivateMessageFrom(pm("other@conference.localhost/bob"), rooms)).toBe(false);
    expect(isPrivateMessageFrom(pm("bob@localhost/phone"), rooms)).toBe(false);
  });
});
