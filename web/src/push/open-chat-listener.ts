/**
 * The page's side of a click on a push notification: the service worker (push/sw-push.ts) posts
 * `{ type: "porthole-open-chat", jid }` to the focused window, which opens that chat.
 */
import { openChatMessage } from "./push-notification";

/** Calls `open(jid)` for each such message; returns the unsubscribe function. */
export function listenForOpenChat(open: (jid: string) => void): () => void {
  const sw = typeof navigator !== "undefined" ? navigator.serviceWorker : undefined;
  if (!sw) return () => {};
  const onMessage = (e: MessageEvent) => {
    const jid = openChatMessage(e.data);
    if (jid) open(jid);
  };
  sw.addEventListener("message", onMessage);
  return () => sw.removeEventListener("message", onMessage);
}
