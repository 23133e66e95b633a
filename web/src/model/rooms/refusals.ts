/**
 * A room's refusals as sentences a person can act on. XEP-0045 names the error conditions per use case
 * (§7.2.6–§7.2.11 entering, §7.6 nickname change, §8.2 kick, §9.1 ban, §10.1–§10.2 configuration, §8.1
 * subject, §7.8 invitations); Prosody 0.12 answers a restricted room creation (restrict_room_creation)
 * with not-allowed "Room creation is restricted". The condition decides the sentence; the server's own
 * text is never shown (it is not translated and may be missing).
 */

export type RoomAction = "join" | "create" | "nick" | "kick" | "ban" | "config" | "subject" | "invite" | "message" | "moderate";

/** RFC 6120 §8.3.3 condition of an error: from an xmpp.js StanzaError, an <error/> holder, or a string. */
export function errorCondition(error: unknown): string {
  if (typeof error === "string") return error;
  if (error && typeof error === "object") {
    const condition = (error as { condition?: unknown }).condition;
    if (typeof condition === "string") return condition;
    const el = error as { getChild?: (n: string) => unknown };
    if (typeof el.getChild === "function") {
      const err = el.getChild("error") as { children?: unknown[] } | undefined;
      const first = err?.children?.find(
        (c) =>
          typeof c === "object" &&
          c !== null &&
          (c as { name?: string }).name !== "text" &&
          (c as { attrs?: { xmlns?: string } }).attrs?.xmlns === NS_STANZAS,
      ) as { name?: string } | undefined;
      if (first?.name) return first.name;
    }
  }
  return "";
}

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

const BY_ACTION: Record<RoomAction, Record<string, string>> = {
  join: {
    conflict: "That nickname is already in use in this room. Choose another one.",
    forbidden: "You are banned from this room.",
    "registration-required": "This room is for members only. Ask an owner to add you, or to invite you.",
    "not-authorized": "Wrong room password. Check it and try again.",
    "item-not-found": "There is no such room (it may be locked until its owner configures it).",
    "remote-server-not-found": "The room's server cannot be reached. Check the address.",
    "service-unavailable": "The room is full or not accepting new people right now.",
    "not-allowed": "This server does not allow you to create rooms. Join an existing room instead.",
    "jid-malformed": "Enter a nickname: the room needs one.",
    "not-acceptable": "This room does not accept that nickname (it may be reserved). Choose another one.",
  },
  create: {
    "not-allowed": "This server does not allow you to create rooms. Join an existing room instead.",
    conflict: "That nickname is already in use in this room. Choose another one.",
    forbidden: "You are banned from this room.",
    "registration-required": "This room already exists and is for members only.",
    "not-authorized": "This room already exists and needs a password.",
    "jid-malformed": "Enter a room address like team@conference.example.org and a nickname.",
  },
  nick: {
    conflict: "That nickname is already in use in this room. Choose another one.",
    "not-acceptable": "This room does not accept that nickname (it may be reserved). Choose another one.",
    "not-allowed": "This room does not let you change your nickname.",
    "jid-malformed": "That nickname cannot be used. Choose another one.",
  },
  kick: {
    "not-allowed": "You cannot remove this person: only moderators can, and never someone ranked above them.",
    forbidden: "Only moderators can remove people from this room.",
    "item-not-found": "That person is no longer in the room.",
  },
  ban: {
    "not-allowed": "You cannot ban this person: only owners and admins can, and an admin cannot ban an owner or another admin.",
    forbidden: "Only admins and owners can ban people from this room.",
    conflict: "You cannot ban this person: the room would have no owner left.",
    "item-not-found": "That person is not known to the room.",
    "jid-malformed": "That is not an address that can be banned.",
  },
  config: {
    forbidden: "Only the room's owners can change its settings.",
    "bad-request": "The room did not accept these settings.",
    "not-acceptable": "The room did not accept these settings.",
  },
  subject: {
    forbidden: "You are not allowed to change the subject of this room.",
    "not-allowed": "You are not allowed to change the subject of this room.",
    "not-acceptable": "Join the room before changing its subject.",
  },
  invite: {
    forbidden: "You are not allowed to invite people to this room.",
    "not-allowed": "This room does not allow invitations.",
    "item-not-found": "That address does not exist.",
    "not-acceptable": "Join the room before inviting people.",
  },
  moderate: {
    forbidden: "Only the room's moderators can remove messages.",
    "item-not-found": "The room no longer has this message.",
  },
  message: {
    forbidden: "You are not allowed to send messages in this room.",
    "not-acceptable": "Join the room before sending messages.",
    "item-not-found": "That person is no longer in the room.",
    "not-allowed": "This room does not allow private messages.",
  },
};

const GENERIC: Record<RoomAction, string> = {
  join: "The room refused to let you in.",
  create: "The room could not be created.",
  nick: "The room refused the new nickname.",
  kick: "The room refused to remove this person.",
  ban: "The room refused to ban this person.",
  config: "The room refused the new settings.",
  subject: "The room refused the new subject.",
  invite: "The invitation could not be sent.",
  message: "The room refused this message.",
  moderate: "The room refused to remove this message.",
};

/** The sentence for `action` refused with `error` (a condition name or anything errorCondition reads). */
export function refusalSentence(action: RoomAction, error: unknown): string {
  const condition = errorCondition(error);
  if (condition === "remote-server-timeout" || (error instanceof Error && /timeout/i.test(error.message))) {
    return "The room did not answer in time. Try again.";
  }
  if (error instanceof Error && error.message === "Not connected.") return "You are offline: try again once connected.";
  return BY_ACTION[action][condition] ?? GENERIC[action];
}

/** A join refused with `condition`; the server's text is added only when the condition is not one we word. */
export function joinRefusal(condition: string, text = ""): string {
  const known = BY_ACTION.join[condition];
  return known ?? (text ? `${GENERIC.join} (${text})` : GENERIC.join);
}

/** Why I am no longer in a room, from the status codes of my own unavailable presence; null: I left. */
export function removalReason(codes: readonly number[]): string | null {
  if (codes.includes(301)) return "You were banned from this room.";
  if (codes.includes(307)) return "You were removed from this room.";
  if (codes.includes(321)) return "You were removed: you are no longer a member of this room.";
  if (codes.includes(322)) return "You were removed: the room is now for members only.";
  if (codes.includes(332)) return "The room's service shut down.";
  return null;
}

/** `removalReason` with who did it and why, when the room says (§8.2 <actor/>, <reason/>). */
export function removalSentence(codes: readonly number[], actor: string, reason: string): string | null {
  const base = removalReason(codes);
  if (base === null) return null;
  const by = actor ? ` by ${actor}` : "";
  const sentence = by ? base.replace(/ from this room\.$/, `${by}.`).replace(/^(You were removed)(:)/, `$1${by}$2`) : base;
  return reason ? `${sentence} Reason: ${reason}` : sentence;
}
