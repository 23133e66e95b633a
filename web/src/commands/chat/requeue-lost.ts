/**
 * Messages the server never acknowledged (XEP-0198) before a session that could not be resumed: back
 * to the outbox. The next session start checks the archive first (catch-up.ts), so one that did arrive
 * is marked sent instead of going twice.
 */
import type { Command } from "../../app/facade";

export const requeueLost: Command<"MESSAGES_LOST"> = ({ ids }, { model }) => {
  for (const id of ids) if (id) model.chats.setState(id, "queued");
};
