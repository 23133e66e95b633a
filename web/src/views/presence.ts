/** Words for presence (RFC 6121 §4.7.2.1 <show/> values folded to what people read). */
import type { Availability } from "../model/stanzas";

export type PresenceWord = "available" | "away" | "busy" | "offline";

export const PRESENCE_WORD: Record<Availability, PresenceWord> = {
  available: "available",
  chat: "available",
  away: "away",
  xa: "away",
  dnd: "busy",
  offline: "offline",
};
