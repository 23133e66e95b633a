/**
 * Use case "create a room" (XEP-0045 §10.1): join a room that does not exist yet; the service answers
 * my own presence with status 201 and keeps the room locked until its owner submits the configuration
 * form (muc#owner), which is then filled with what the person chose: a name, members-only or open,
 * persistent, archived (XEP-0313 on the room). A room that already existed is joined as it is, and
 * said so; a refusal (not allowed to create, nickname in use, ...) is a sentence and the form keeps
 * what was typed.
 */
import type { Command, Facade } from "../../app/facade";
import { refusalSentence } from "../../model/rooms/refusals";
import { roomChanges } from "../../model/rooms/room-changes";
import { bareJid, isBareJid } from "../../model/stanzas/jid";
import { configRequest, configSubmit, parseConfigForm, roomConfigChanges } from "../../model/stanzas/muc-admin";
import { publishBookmark } from "./publish-bookmark";

const JOIN_TIMEOUT_MS = 20_000;

export const createRoom: Command<"CREATE_ROOM"> = async (req, { model, facade }) => {
  const room = bareJid(req.room.trim());
  if (!isBareJid(room)) throw new Error("Enter the room's address as room@conference.example.org.");
  if (!req.nick.trim()) throw new Error("Enter a nickname.");
  if (model.rooms.get(room)?.state === "joined") throw new Error("You are already in that room.");
  const entered = joined(facade, room);
  await facade.send("JOIN_ROOM", { room, nick: req.nick, password: "", creating: true });
  const outcome = await entered;
  if ("refused" in outcome) throw new Error(outcome.refused);
  if (!outcome.created) {
    facade.send("ROOM_CREATED", { room, created: false });
    return;
  }
  const changes = roomConfigChanges({
    name: req.name.trim(),
    membersOnly: req.membersOnly,
    persistent: true,
    archived: req.archived,
  });
  try {
    const form = parseConfigForm(await model.xmpp.request(configRequest(room)));
    await model.xmpp.request(configSubmit(room, form, changes));
  } catch (err) {
    throw new Error(refusalSentence("config", err));
  }
  if (req.name.trim()) {
    roomChanges(model.rooms).update(room, { name: req.name.trim() });
    // The join bookmarked the room before it had a name: the bookmark gets it too, or its
    // notification (XEP-0402 +notify, read back as the room's name) would take the name away.
    const named = model.rooms.get(room);
    if (named) await publishBookmark(model, named);
  }
  facade.send("ROOM_CREATED", { room, created: true });
};

type Outcome = { created: boolean } | { refused: string };

/** Resolves with my own presence from `room` (201: the room is new) or with the refusal's sentence. */
function joined(facade: Facade, room: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const done = (o: Outcome) => {
      clearTimeout(timer);
      stopPresence();
      stopRefused();
      stopFailed();
      resolve(o);
    };
    const timer = setTimeout(() => done({ refused: refusalSentence("create", "remote-server-timeout") }), JOIN_TIMEOUT_MS);
    const stopPresence = facade.subscribe("RECEIVE_ROOM_PRESENCE", (p) => {
      if (p.room !== room) return;
      if (p.error) done({ refused: refusalSentence("create", p.error.condition) });
      else if (p.available && p.codes.includes(110)) done({ created: p.codes.includes(201) });
    });
    const stopRefused = facade.subscribe("ROOM_REFUSED", (r) => {
      if (r.room === room) done({ refused: r.message });
    });
    const stopFailed = facade.subscribe("COMMAND_FAILED", ({ command, message }) => {
      if (command === "JOIN_ROOM") done({ refused: message });
    });
  });
}
