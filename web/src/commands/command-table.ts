/**
 * The command table fetched after the first paint (app/lazy-command.ts lazyCommands): every use case
 * of the facade but the ones the first paint needs (STARTUP, PAGE_VISIBILITY) and the chunks of their
 * own (rich messages, contacts). The types make it hold exactly facade.ts TABLE_USE_CASES.
 */
import type { Command, TableUseCase } from "../app/facade";
import { receiveBlockPush } from "./blocking/receive-block-push";
import { closeChat } from "./chat/close-chat";
import { flushOutbox } from "./chat/flush-outbox";
import { keepDraft } from "./chat/keep-draft";
import { loadOlder } from "./chat/load-older";
import { markAcknowledged } from "./chat/mark-acknowledged";
import { openChat } from "./chat/open-chat";
import { receiveMessage } from "./chat/receive-message";
import { requeueLost } from "./chat/requeue-lost";
import { sendChatState } from "./chat/send-chat-state";
import { sendMessage } from "./chat/send-message";
import { attachFile } from "./files/attach-file";
import { discoverUploadService } from "./files/discover-upload";
import { learnFileDetails } from "./files/learn-file-details";
import { cancelUpload, retryUpload } from "./files/retry-upload";
import { receivePresence } from "./roster/receive-presence";
import { receiveRosterPush } from "./roster/receive-roster-push";
import { catchUpRoom } from "./session/catch-up";
import { login } from "./session/login";
import { logout } from "./session/logout";
import { reconnect } from "./session/reconnect";
import { setClientState } from "./session/set-client-state";
import { setPresence } from "./session/set-presence";
import { startSession } from "./session/start-session";

export const commandTable: { [K in TableUseCase]: Command<K> } = {
  LOGIN: login,
  ONLINE: startSession,
  LOGOUT: logout,
  SEND_MESSAGE: sendMessage,
  FLUSH_OUTBOX: flushOutbox,
  SEND_CHAT_STATE: sendChatState,
  RECEIVE_MESSAGE: receiveMessage,
  RECEIVE_PRESENCE: receivePresence,
  RECEIVE_ROSTER_PUSH: receiveRosterPush,
  SET_PRESENCE: setPresence,
  OPEN_CHAT: openChat,
  CLOSE_CHAT: closeChat,
  LOAD_OLDER: loadOlder,
  KEEP_DRAFT: keepDraft,
  RECONNECT: reconnect,
  MESSAGES_LOST: requeueLost,
  MESSAGES_ACKED: markAcknowledged,
  ATTACH_FILE: attachFile,
  DISCOVER_UPLOAD: discoverUploadService,
  CANCEL_UPLOAD: cancelUpload,
  RETRY_UPLOAD: retryUpload,
  FILE_DETAILS: learnFileDetails,
  RECEIVE_BLOCK_PUSH: receiveBlockPush,
  SET_CLIENT_STATE: setClientState,
  CATCH_UP_ROOM: catchUpRoom,
};
