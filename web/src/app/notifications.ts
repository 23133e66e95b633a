/**
 * The typed notification map: every notification name and the body it carries.
 * Names follow the seed client (PureMVC ApplicationFacade constants: STARTUP, LOGIN, VALID_LOGIN,
 * INVALID_LOGIN, DISCONNECT, RECEIVE_MESSAGE, LOGOUT, SEND_MESSAGE), plus the rest of the use cases.
 */
import type { FileMessageKey } from "../model/chats/chats-proxy";
import type { ContactEvent } from "../model/stanzas/avatars";
import type { BlockPush } from "../model/stanzas/blocking";
import type { BookmarksEvent } from "../model/stanzas/bookmarks";
import type { Invitation } from "../model/stanzas/invitations";
import type { OccupantPresence } from "../model/stanzas/muc";
import type { ChatState, Message, Presence, RosterItem, RosterRemoval, Show } from "../model/stanzas/stanzas";

export type MyShow = "available" | Exclude<Show, "chat" | "xa">;

export interface LoginRequest {
  /** The account address typed by the user (bare JID). */
  address: string;
  password: string;
  /** Advanced: an explicit ws:// or wss:// URL; empty = this host's own (its host-meta), then XEP-0156. */
  websocketUrl: string;
}

export interface Notifications {
  // use cases (views → commands)
  STARTUP: undefined;
  LOGIN: LoginRequest;
  /** `clearHistory`: also forget this device's history of the account. */
  LOGOUT: { clearHistory: boolean };
  /** `replyTo`: the id of the message of this chat it answers (XEP-0461). */
  SEND_MESSAGE: { to: string; body: string; replyTo?: string };
  /** Replace the body of my message `id` in chat `to` (XEP-0308). */
  CORRECT_MESSAGE: { to: string; id: string; body: string };
  /** Retract my message `id` in chat `to` (XEP-0424). */
  RETRACT_MESSAGE: { to: string; id: string };
  /** Add my reaction `emoji` to message `id` in chat `to`, or take it back if it is there (XEP-0444). */
  REACT_MESSAGE: { to: string; id: string; emoji: string };
  /** The reader saw message `id` of chat `jid` (page visible, chat open, scrolled to it): XEP-0333. */
  MARK_DISPLAYED: { jid: string; id: string };
  /** Send the outbox now (if the session is up). */
  FLUSH_OUTBOX: undefined;
  SEND_CHAT_STATE: { to: string; state: Extract<ChatState, "composing" | "paused" | "active"> };
  ADD_CONTACT: { jid: string; name: string };
  REMOVE_CONTACT: { jid: string };
  APPROVE_SUBSCRIPTION: { jid: string };
  DENY_SUBSCRIPTION: { jid: string };
  SET_PRESENCE: { show: MyShow; status: string };
  OPEN_CHAT: { jid: string };
  CLOSE_CHAT: undefined;
  /** What is typed in a chat's composer and not sent yet (empty: none). */
  KEEP_DRAFT: { jid: string; text: string };
  /** The reader reached the top of a chat: fetch the archive page before its oldest message. */
  LOAD_OLDER: { jid: string };
  /** Send a file (picked, photographed, pasted or dropped) to a chat: queued, uploaded, then sent. */
  ATTACH_FILE: { to: string; file: Blob & { name?: string } };
  /** Find the upload service and its size limit (XEP-0363 §3) if not known yet this session. */
  DISCOVER_UPLOAD: undefined;
  CANCEL_UPLOAD: { id: string };
  RETRY_UPLOAD: { id: string };
  /** A HEAD told a received file's size and type: kept with its message (shown offline and after a reload). */
  FILE_DETAILS: { message: FileMessageKey; size?: number; type?: string };
  /** Reconnect now rather than at the next scheduled attempt. */
  RECONNECT: undefined;
  /** A new roster name for a contact (empty: none, the address shows). */
  RENAME_CONTACT: { jid: string; name: string };
  /** Forget a conversation with someone who is not a contact, on this device. */
  DELETE_CHAT: { jid: string };
  BLOCK_CONTACT: { jid: string };
  UNBLOCK_CONTACT: { jid: string };
  /** My avatar, already resized (views/settings/avatar-image.ts). */
  SET_MY_AVATAR: { type: string; base64: string; width: number; height: number };
  /** Whether someone is looking at this page (XEP-0352 active / inactive). */
  SET_CLIENT_STATE: { active: boolean };
  /** Join a room (XEP-0045 §7.2) as `nick`; `password` empty for rooms without one. */
  /**
   * `autojoin: false`: joined here, bookmarked without autojoin (a stream's room from its watch page).
   * `creating`: the room may not exist yet (create-room.ts): nothing is asked of it before the join.
   */
  JOIN_ROOM: { room: string; nick: string; password: string; autojoin?: boolean; creating?: boolean };
  /** Leave a room (§7.14) and forget it on every device (its bookmark goes). */
  LEAVE_ROOM: { room: string };
  /** A muted room does not notify (kept on this device). */
  MUTE_ROOM: { room: string; muted: boolean };
  /** Fetch what a room's own archive (XEP-0313) has since this device's newest message of it. */
  CATCH_UP_ROOM: { room: string };
  /** Check that I am still in every joined room (XEP-0410 self-ping); rejoin those that dropped me. */
  PING_ROOMS: undefined;
  /** Create a room (XEP-0045 §10.1) and configure it with these choices; an existing one is just joined. */
  CREATE_ROOM: { room: string; nick: string; name: string; membersOnly: boolean; archived: boolean };
  /** Rename a room (§10.2, owners). */
  RENAME_ROOM: { room: string; name: string };
  /** Change a room's subject (§8.1). */
  SET_SUBJECT: { room: string; subject: string };
  /** Change my nickname in a room (§7.6). */
  CHANGE_NICK: { room: string; nick: string };
  /** Remove an occupant (§8.2, moderators); they may come back. */
  KICK_OCCUPANT: { room: string; nick: string; reason: string };
  /** Remove someone's message from a room (XEP-0425, moderators); `id` as the room's thread knows it. */
  MODERATE_MESSAGE: { room: string; id: string; reason: string };
  /** Ban an occupant's account (§9.1, owners and admins). */
  BAN_OCCUPANT: { room: string; nick: string; reason: string };
  /** Invite a contact to a room (XEP-0249 direct invitation). */
  INVITE_CONTACT: { room: string; jid: string; reason: string };
  /** Accept a pending invitation: join the room as `nick`. */
  ACCEPT_INVITATION: { room: string; nick: string };
  /** Decline a pending invitation (a mediated one is answered with <decline/>). */
  DECLINE_INVITATION: { room: string; reason: string };
  // results and events (model → commands and mediators)
  VALID_LOGIN: { jid: string };
  INVALID_LOGIN: { message: string };
  UNREACHABLE: { message: string };
  /** The session is up: after login and after every automatic reconnection. */
  ONLINE: { jid: string; reconnected: boolean; resumed?: boolean };
  /** The server or network dropped the session; the client reconnects by itself. */
  DISCONNECT: { reason: string };
  RECEIVE_MESSAGE: Message;
  RECEIVE_PRESENCE: Presence;
  RECEIVE_ROSTER_PUSH: Array<RosterItem | RosterRemoval>;
  /** A contact's PEP service pushed an avatar or nickname (XEP-0084, XEP-0172). */
  RECEIVE_CONTACT_EVENT: ContactEvent;
  /** My server changed the blocklist (XEP-0191 push). */
  RECEIVE_BLOCK_PUSH: BlockPush;
  /** A contact use case succeeded; `message` confirms it to people. */
  CONTACT_DONE: { command: keyof Notifications; message: string };
  /** A room occupant's presence, or a room's refusal of my join. */
  RECEIVE_ROOM_PRESENCE: OccupantPresence;
  /** A room refused my join; `message` is for people (refusals.ts). */
  ROOM_REFUSED: { room: string; nick: string; message: string };
  /** Someone invites me to a room (XEP-0249 or XEP-0045 §7.8.2). */
  RECEIVE_INVITATION: Invitation;
  /** My room bookmarks changed on another device (XEP-0402 PEP notification): join or leave live. */
  RECEIVE_BOOKMARKS: BookmarksEvent;
  /** CREATE_ROOM is done: `created` false when the room already existed and was only joined. */
  ROOM_CREATED: { room: string; created: boolean };
  /** A live room message mentioning my nickname arrived (in an unmuted room). */
  ROOM_MENTION: { room: string; nick: string; body: string };
  /** Messages the server never acknowledged (XEP-0198) before the session was lost: send them again. */
  MESSAGES_LOST: { ids: string[] };
  /** Messages the server acknowledged (XEP-0198): they reached it. */
  MESSAGES_ACKED: { ids: string[] };
  /** The page went to the background or came back to the foreground (Page Visibility). */
  PAGE_VISIBILITY: { visible: boolean };
  /** A use case was refused or failed; `message` is for people. */
  COMMAND_FAILED: { command: keyof Notifications; message: string };
}

export type NotificationName = keyof Notifications;
