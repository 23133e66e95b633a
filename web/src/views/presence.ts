/**
 * Words for presence, each state named once (RFC 6121 §4.7.2.1 <show/> values folded to what people
 * read): contacts' rows, the chat header, my availability choices and the app bar use these labels.
 * `PresenceWord` is the CSS modifier of the coloured dot (app.css .presence--*).
 */
import type { MyShow } from "../app/notifications";
import type { Availability } from "../model/stanzas/stanzas";

export type PresenceWord = "available" | "away" | "busy" | "offline";

export const PRESENCE_WORD: Record<Availability, PresenceWord> = {
  available: "available",
  chat: "available",
  away: "away",
  xa: "away",
  dnd: "busy",
  offline: "offline",
};

/** The one label of each presence state. */
export const PRESENCE_LABEL: Record<PresenceWord, string> = {
  available: "Online",
  away: "Away",
  busy: "Do not disturb",
  offline: "Offline",
};

/** My own availability choices (SET_PRESENCE), as presence states. */
export const MY_SHOW_WORD: Record<MyShow, PresenceWord> = { available: "available", away: "away", dnd: "busy" };
