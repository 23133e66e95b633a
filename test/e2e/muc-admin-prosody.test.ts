// Running a room against real Prosody 0.12 (mod_muc + mod_muc_mam), with the stanzas of
// web/src/model/stanzas/muc-admin.ts sent by Node @xmpp/client users: create (status 201, owner form,
// submit), invite directly (XEP-0249) and through the room (XEP-0045 §7.8.2, declined), subject, nickname
// change and its conflict, kick (307) and ban (301) with their reasons, a participant's kick refused,
// private messages, a refused room creation (restrict_room_creation); each refusal read as its sentence.
import { type Element, xml } from "@xmpp/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refusalSentence } from "../../web/src/model/rooms/refusals";
import { readBoolean } from "../../web/src/model/stanzas/data-form";
import {
  declineInvitation,
  directInvitation,
  mediatedInvitation,
  parseDecline,
  parseInvitation,
} from "../../web/src/model/stanzas/invitations";
import {
  affiliationRequest,
  banRequest,
  configRequest,
  configSubmit,
  isPrivateMessageFrom,
  kickRequest,
  nickChange,
  parseConfigForm,
  privateMessage,
  removalDetail,
  roomConfigChanges,
  subjectChange,
} from "../../web/src/model/stanzas/muc-admin";
import { waitFor } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { connectUser, type XmppUser } from "../support/xmpp-user";

const NS_MUC_USER = "http://jabber.org/protocol/muc#user";

interface Peer {
  user: XmppUser;
  stanzas: Element[];
}

function codes(el: Element): number[] {
  return (el.getChild("x", NS_MUC_USER)?.getChildren("status") ?? []).map((s) => Number(s.attrs.code));
}

/** The first stanza received since `from` (an index into peer.stanzas) that matches. */
async function next(peer: Peer, what: string, match: (el: Element) => boolean, from = 0): Promise<Element> {
  let found: Element | undefined;
  await waitFor(
    `${peer.user.jid}: ${what}`,
    async () => {
      found = peer.stanzas.slice(from).find(match);
      return found !== undefined;
    },
    15_000,
  );
  return found as Element;
}

function condition(el: Element): string {
  const error = el.getChild("error");
  const c = error?.children.find((x) => typeof x !== "string" && x.attrs.xmlns === "urn:ietf:params:xml:ns:xmpp-stanzas");
  return typeof c === "object" && c ? c.name : "";
}

/** A join presence (§7.2.2) as the room core sends it. */
function join(room: string, nick: string): Element {
  return xml(
    "presence",
    { to: `${room}/${nick}` },
    xml("x", { xmlns: "http://jabber.org/protocol/muc" }, xml("history", { maxstanzas: "0" })),
  );
}

describe("room administration against Prosody", () => {
  let prosody: ProsodyServer;
  const peers: Record<string, Peer> = {};
  let room = "";

  beforeAll(async () => {
    prosody = await startProsody({
      users: { alice: "pw-a", bob: "pw-b", carol: "pw-c" },
      muc: { conference: {}, locked: { restrict_room_creation: "true" } },
    });
    room = `team@conference.${prosody.domain}`;
    for (const name of ["alice", "bob", "carol"]) {
      const user = await connectUser({
        service: prosody.wsUrl,
        domain: prosody.domain,
        username: name,
        password: `pw-${name[0]}`,
      });
      const peer: Peer = { user, stanzas: [] };
      user.client.on("stanza", (el: Element) => peer.stanzas.push(el));
      peers[name] = peer;
    }
  });
  afterAll(async () => {
    for (const p of Object.values(peers)) await p.user.stop();
    await prosody?.stop();
  });

  const iq = (name: string, el: Element) => (peers[name] as Peer).user.client.iqCaller.request(el);
  const send = (name: string, el: Element) => (peers[name] as Peer).user.client.send(el);
  const peer = (name: string) => peers[name] as Peer;

  it("creates a members-only, persistent, archived room named by its owner (§10.1)", async () => {
    const mark = peer("alice").stanzas.length;
    await send("alice", join(room, "alice"));
    const self = await next(peer("alice"), "own presence", (el) => el.is("presence") && el.attrs.from === `${room}/alice`, mark);
    expect(codes(self)).toEqual(expect.arrayContaining([110, 201]));
    const form = parseConfigForm(await iq("alice", configRequest(room)));
    expect(form?.formType).toBe("http://jabber.org/protocol/muc#roomconfig");
    const changes = roomConfigChanges({ name: "Team", membersOnly: true, persistent: true, archived: true });
    await iq("alice", configSubmit(room, form, changes));
    const after = parseConfigForm(await iq("alice", configRequest(room)));
    if (!after) throw new Error("no form after configuring");
    expect(after.fields.find((f) => f.var === "muc#roomconfig_roomname")?.values).toEqual(["Team"]);
    expect(readBoolean(after, "muc#roomconfig_membersonly")).toBe(true);
    expect(readBoolean(after, "muc#roomconfig_persistentroom")).toBe(true);
    expect(readBoolean(after, "muc#roomconfig_enablearchiving")).toBe(true);
    expect(readBoolean(after, "muc#roomconfig_publicroom", true)).toBe(false);
  });

  it("keeps a non-member out of the members-only room, with a sentence", async () => {
    const mark = peer("bob").stanzas.length;
    await send("bob", join(room, "bob"));
    const refusal = await next(peer("bob"), "refusal", (el) => el.is("presence") && el.attrs.type === "error", mark);
    expect(refusalSentence("join", condition(refusal))).toBe(
      "This room is for members only. Ask an owner to add you, or to invite you.",
    );
  });

  it("invites bob directly (member first, as Converse.js does for members-only rooms); bob reads it and gets in", async () => {
    await iq("alice", affiliationRequest(room, `bob@${prosody.domain}`, "member", ""));
    const mark = peer("bob").stanzas.length;
    await send("alice", directInvitation(`bob@${prosody.domain}`, room, "inv1", "planning"));
    const received = await next(peer("bob"), "invitation", (el) => parseInvitation(el) !== null, mark);
    expect(parseInvitation(received)).toEqual({
      room,
      from: `alice@${prosody.domain}`,
      reason: "planning",
      password: "",
      kind: "direct",
    });
    const m2 = peer("bob").stanzas.length;
    await send("bob", join(room, "bob"));
    const self = await next(
      peer("bob"),
      "joined",
      (el) => el.is("presence") && el.attrs.from === `${room}/bob` && codes(el).includes(110),
      m2,
    );
    expect(self.attrs.type).toBeUndefined();
  });

  it("invites carol through the room; carol reads a mediated invitation and declines it, alice sees the decline", async () => {
    const mark = peer("carol").stanzas.length;
    await send("alice", mediatedInvitation(room, `carol@${prosody.domain}`, "inv2", "join us"));
    const received = await next(peer("carol"), "mediated invitation", (el) => parseInvitation(el) !== null, mark);
    expect(parseInvitation(received)).toEqual({
      room,
      from: `alice@${prosody.domain}`,
      reason: "join us",
      password: "",
      kind: "mediated",
    });
    const m2 = peer("alice").stanzas.length;
    await send("carol", declineInvitation(room, `alice@${prosody.domain}`, "dec1", "not today"));
    const decline = await next(peer("alice"), "decline", (el) => parseDecline(el) !== null, m2);
    expect(parseDecline(decline)).toEqual({ room, from: `carol@${prosody.domain}`, reason: "not today" });
  });

  it("sets the subject; the other occupant receives it", async () => {
    const mark = peer("bob").stanzas.length;
    await send("alice", subjectChange(room, "Friday plans", "s1"));
    const m = await next(peer("bob"), "subject", (el) => el.is("message") && el.getChild("subject") !== undefined, mark);
    expect(m.getChildText("subject")).toBe("Friday plans");
    expect(m.attrs.from).toBe(`${room}/alice`);
  });

  it("refuses a nickname in use (conflict) and accepts a free one (303)", async () => {
    let mark = peer("bob").stanzas.length;
    await send("bob", nickChange(room, "alice", "n1"));
    const refusal = await next(peer("bob"), "nick conflict", (el) => el.is("presence") && el.attrs.type === "error", mark);
    expect(refusalSentence("nick", condition(refusal))).toBe("That nickname is already in use in this room. Choose another one.");
    mark = peer("bob").stanzas.length;
    await send("bob", nickChange(room, "bobby", "n2"));
    const gone = await next(peer("bob"), "303", (el) => el.is("presence") && codes(el).includes(303), mark);
    expect(gone.getChild("x", NS_MUC_USER)?.getChild("item")?.attrs.nick).toBe("bobby");
  });

  it("sends a private message to an occupant, received as one from the room", async () => {
    const mark = peer("alice").stanzas.length;
    await send("bob", privateMessage(`${room}/alice`, "just you", "pm1"));
    const pm = await next(
      peer("alice"),
      "private message",
      (el) => el.is("message") && el.getChildText("body") === "just you",
      mark,
    );
    expect(pm.attrs.from).toBe(`${room}/bobby`);
    expect(isPrivateMessageFrom(pm, new Set([room]))).toBe(true);
  });

  it("a participant cannot kick; the owner kicks with a reason (307)", async () => {
    await expect(iq("bob", kickRequest(room, "alice", "mutiny"))).rejects.toSatisfy((e: unknown) =>
      refusalSentence("kick", e).startsWith("You cannot remove this person"),
    );
    const mark = peer("bob").stanzas.length;
    await iq("alice", kickRequest(room, "bobby", "too loud"));
    const kicked = await next(peer("bob"), "kicked", (el) => el.is("presence") && codes(el).includes(307), mark);
    expect(codes(kicked)).toContain(110);
    expect(removalDetail(kicked)).toEqual({ reason: "too loud", actor: "alice" });
  });

  it("in an open room, the owner bans (301) and the ban holds (forbidden)", async () => {
    // In a members-only room Prosody 0.12 answers a banned user registration-required (members_only.lib.lua
    // runs before the outcast check of muc.lib.lua), so the ban is shown in an open room.
    const lobby = `lobby@conference.${prosody.domain}`;
    let mark = peer("alice").stanzas.length;
    await send("alice", join(lobby, "alice"));
    await next(peer("alice"), "lobby created", (el) => el.is("presence") && codes(el).includes(201), mark);
    const form = parseConfigForm(await iq("alice", configRequest(lobby)));
    await iq("alice", configSubmit(lobby, form, roomConfigChanges({ name: "Lobby", membersOnly: false, persistent: true })));
    mark = peer("bob").stanzas.length;
    await send("bob", join(lobby, "bob"));
    await next(
      peer("bob"),
      "in lobby",
      (el) => el.is("presence") && el.attrs.from === `${lobby}/bob` && codes(el).includes(110),
      mark,
    );
    mark = peer("bob").stanzas.length;
    await iq("alice", banRequest(lobby, `bob@${prosody.domain}`, "enough"));
    const banned = await next(peer("bob"), "banned", (el) => el.is("presence") && codes(el).includes(301), mark);
    expect(removalDetail(banned).reason).toBe("enough");
    mark = peer("bob").stanzas.length;
    await send("bob", join(lobby, "bob"));
    const refusal = await next(peer("bob"), "refused", (el) => el.is("presence") && el.attrs.type === "error", mark);
    expect(refusalSentence("join", condition(refusal))).toBe("You are banned from this room.");
  });

  it("a service that restricts room creation refuses it, with a sentence", async () => {
    const mark = peer("carol").stanzas.length;
    await send("carol", join(`new@locked.${prosody.domain}`, "carol"));
    const refusal = await next(peer("carol"), "refusal", (el) => el.is("presence") && el.attrs.type === "error", mark);
    expect(condition(refusal)).toBe("not-allowed");
    expect(refusalSentence("create", condition(refusal))).toBe(
      "This server does not allow you to create rooms. Join an existing room instead.",
    );
  });
});
