/**
 * Mediator of a room's administration: what my role and affiliation let me do (XEP-0045 §4.1 roles,
 * §5.2 affiliations), and the use cases nickname, subject, name, invitation, kick, ban and private
 * message. A refused use case comes back as its sentence; the form that asked keeps what was typed.
 */
import { useSignal } from "@preact/signals";
import type { Body } from "../../app/facade";
import { useFacade, useNotification } from "../../app/facade-context";
import type { NotificationName, Notifications } from "../../app/notifications";
import { useFrameValue } from "../use-frame-value";

export type AdminCommand = "CHANGE_NICK" | "SET_SUBJECT" | "RENAME_ROOM" | "INVITE_CONTACT" | "KICK_OCCUPANT" | "BAN_OCCUPANT";
const ADMIN: ReadonlySet<NotificationName> = new Set<NotificationName>([
  "CHANGE_NICK",
  "SET_SUBJECT",
  "RENAME_ROOM",
  "INVITE_CONTACT",
  "KICK_OCCUPANT",
  "BAN_OCCUPANT",
]);

export function useRoomAdminMediator(jid: string) {
  const facade = useFacade();
  // At most once per animation frame, as the room view (use-room-mediator.ts).
  const room = useFrameValue(facade.model.rooms.rooms).get(jid);
  const me = room ? room.occupants.get(room.nick) : undefined;
  const problem = useSignal<{ command: AdminCommand; message: string } | null>(null);
  useNotification("COMMAND_FAILED", ({ command, message }) => {
    if (ADMIN.has(command)) problem.value = { command: command as AdminCommand, message };
  });
  /** Runs the use case; resolves true when it went through (then the form may clear). */
  const run = async <K extends AdminCommand>(name: K, body: Notifications[K]): Promise<boolean> => {
    problem.value = null;
    await facade.send(name, ...([body] as Body<K>));
    return problem.peek() === null;
  };
  const affiliation = me?.affiliation ?? "none";
  return {
    joined: room?.state === "joined",
    nick: room?.nick ?? "",
    subject: room?.subject ?? "",
    name: room?.name ?? "",
    /** Moderators kick (§8.2); owners and admins ban (§9.1); owners configure (§10). */
    canKick: me?.role === "moderator",
    canBan: affiliation === "owner" || affiliation === "admin",
    isOwner: affiliation === "owner",
    problem: problem.value,
    clearProblem: () => {
      problem.value = null;
    },
    changeNick: (nick: string) => run("CHANGE_NICK", { room: jid, nick }),
    setSubject: (subject: string) => run("SET_SUBJECT", { room: jid, subject }),
    rename: (name: string) => run("RENAME_ROOM", { room: jid, name }),
    invite: (contact: string, reason: string) => run("INVITE_CONTACT", { room: jid, jid: contact, reason }),
    kick: (nick: string, reason: string) => run("KICK_OCCUPANT", { room: jid, nick, reason }),
    ban: (nick: string, reason: string) => run("BAN_OCCUPANT", { room: jid, nick, reason }),
    privateMessage: (nick: string) => facade.send("OPEN_CHAT", { jid: `${jid}/${nick}` }),
  };
}
