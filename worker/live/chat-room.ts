/**
 * The group chat room beside a live stream on the watch page (the webcast layout): `LIVE_CHAT_ROOM` is
 * a room address template, an XEP-0045 room JID (RFC 7622 `local@domain`) in which `{app}` and
 * `{stream}` stand for the stream's names, e.g. `{stream}@conference.example.org` (one room per stream)
 * or `webcast@conference.example.org` (one room for all). Empty = no chat beside the video. The address
 * is lowercased: the localpart is case-mapped (RFC 7622 §3.3, UsernameCaseMapped) and the domain is
 * case-insensitive, so the room the server reflects is the room the page joined. Pure.
 */

export type ChatRoomTemplate = { ok: true; template: string | null } | { ok: false; message: string };

/** What a room address may be once the names are in: one `@`, no resource, no spaces. */
const ROOM_JID = /^[^\s@/"&'<>:]{1,1023}@[A-Za-z0-9.-]{1,253}$/;

export function parseChatRoomTemplate(raw: string | undefined): ChatRoomTemplate {
  const value = (raw ?? "").trim();
  if (value === "") return { ok: true, template: null };
  if (!ROOM_JID.test(chatRoomFor(value, "app", "stream"))) {
    return {
      ok: false,
      message: `LIVE_CHAT_ROOM "${value.slice(0, 100)}" is not a room address like {stream}@conference.example.org`,
    };
  }
  return { ok: true, template: value };
}

/** The room of one stream (names already validated: `A-Z a-z 0-9 _ -`, live/names.ts). */
export function chatRoomFor(template: string, app: string, stream: string): string {
  return template.replaceAll("{app}", app).replaceAll("{stream}", stream).toLowerCase();
}
