/**
 * What the app bar says about me: not signed in, connecting, reconnecting (saying so when the device
 * has no network, even before the session notices), or, while connected, my own presence in the
 * words of views/presence.ts. `tone` picks the dot's colour. Pure, unit-tested.
 */
import type { ConnectionState } from "../model/xmpp/xmpp-proxy";
import { MY_SHOW_WORD, PRESENCE_LABEL, type PresenceWord } from "../views/presence";
import type { MyShow } from "./notifications";

export interface ConnectionWord {
  label: string;
  /** Why, when it is not plain (shown under the label, before my address). */
  detail: string | null;
  /** "online" only while the session is up and the device has a network. */
  tone: "offline" | "connecting" | "reconnecting" | "online";
  /** My presence while online (the dot's colour), else null. */
  presence: PresenceWord | null;
}

export function connectionWord(state: ConnectionState, show: MyShow, networkUp: boolean): ConnectionWord {
  if (state === "offline") return { label: "Not signed in", detail: null, tone: "offline", presence: null };
  if (state === "connecting") return { label: "Connecting…", detail: null, tone: "connecting", presence: null };
  if (!networkUp) return { label: "Reconnecting…", detail: "No network", tone: "reconnecting", presence: null };
  if (state === "reconnecting") return { label: "Reconnecting…", detail: null, tone: "reconnecting", presence: null };
  const presence = MY_SHOW_WORD[show];
  return { label: PRESENCE_LABEL[presence], detail: null, tone: "online", presence };
}
