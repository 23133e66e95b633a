/**
 * The page went to the background or came back (Page Visibility Level 2, `visibilitychange`): messages
 * in the open chat count unread while nobody can see them (chats-proxy.ts setPageVisible).
 */
import type { Command } from "../../app/facade";

export const pageVisibility: Command<"PAGE_VISIBILITY"> = ({ visible }, { model }) => {
  model.chats.setPageVisible(visible);
};
