/**
 * The room's message log: the chat's MessageList, rendered again only when what it shows changes. A
 * room view renders on every change of its room (each of a thousand occupant presences while joining
 * a big room); the log follows its thread by itself (the thread's version signal), so it skips those
 * renders and their row measuring. `onTop` asks for the same room's older page whichever render made it.
 */
import { memo } from "preact/compat";
import { MessageList, type MessageListProps } from "../chat/message-list";

export const RoomLog = memo(
  MessageList,
  (a: MessageListProps, b: MessageListProps) =>
    a.thread === b.thread &&
    a.older === b.older &&
    a.peerName === b.peerName &&
    a.firstUnread === b.firstUnread &&
    a.actions === b.actions,
);
