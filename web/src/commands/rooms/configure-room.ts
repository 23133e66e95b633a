/**
 * Use cases "rename a room" (XEP-0045 §10.2: the owner's configuration form, muc#roomconfig_roomname)
 * and "change its subject" (§8.1: a groupchat message with only <subject/>). The subject is confirmed
 * by the room reflecting it; a refusal is an error message with the same id, said as a sentence.
 */
import type { Command, Facade } from "../../app/facade";
import { refusalSentence } from "../../model/rooms/refusals";
import { roomChanges } from "../../model/rooms/room-changes";
import { configRequest, configSubmit, parseConfigForm, roomConfigChanges, subjectChange } from "../../model/stanzas/muc-admin";
import { publishBookmark } from "./publish-bookmark";
import { saveRooms } from "./room-session";

/** How long the room has to reflect a subject or refuse it before the use case gives up. */
const SUBJECT_TIMEOUT_MS = 15_000;

export const renameRoom: Command<"RENAME_ROOM"> = async ({ room, name }, { model }) => {
  const form = parseConfigForm(await model.xmpp.request(configRequest(room)).catch(fail));
  if (!form) throw new Error(refusalSentence("config", "bad-request"));
  await model.xmpp.request(configSubmit(room, form, roomConfigChanges({ name: name.trim() }))).catch(fail);
  roomChanges(model.rooms).update(room, { name: name.trim() });
  // The bookmark carries the name to my other devices (XEP-0402 conference name).
  const r = model.rooms.get(room);
  if (r?.confirmed) {
    saveRooms(model);
    await publishBookmark(model, r);
  }
};

function fail(err: unknown): never {
  throw new Error(refusalSentence("config", err));
}

export const setSubject: Command<"SET_SUBJECT"> = async ({ room, subject }, { model, facade }) => {
  const id = `s-${model.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const outcome = subjectOutcome(facade, room, id, subject);
  await model.xmpp.send(subjectChange(room, subject, id));
  const refusal = await outcome;
  if (refusal !== null) throw new Error(refusal);
};

/** Resolves null once the room shows `subject`, or the sentence of the error that answered `id`. */
function subjectOutcome(facade: Facade, room: string, id: string, subject: string): Promise<string | null> {
  const { rooms } = facade.model;
  return new Promise((resolve) => {
    const done = (result: string | null) => {
      clearTimeout(timer);
      stopError();
      stopRooms();
      resolve(result);
    };
    const timer = setTimeout(() => done(refusalSentence("subject", "remote-server-timeout")), SUBJECT_TIMEOUT_MS);
    const stopError = facade.subscribe("RECEIVE_MESSAGE", (m) => {
      if (m.type === "error" && m.id === id) done(refusalSentence("subject", m.errorCondition ?? ""));
    });
    const stopRooms = rooms.rooms.subscribe(() => {
      if (rooms.get(room)?.subject === subject) done(null);
    });
  });
}
