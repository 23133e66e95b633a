/** Mediator of the application view: which screen shows, connection state, failures to report. */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { listenForOpenChat } from "../push/open-chat-listener";
import { closeStaleNotifications } from "../push/stale-notifications";
import { useFrameValue } from "../views/use-frame-value";
import { notifyWhileHidden, showUnreadBadge } from "./alerts";
import { browserOnline } from "./browser-online";
import { connectionWord } from "./connection-word";
import { useFacade, useNotification } from "./facade-context";
import type { NotificationName } from "./notifications";
import { APP_NAME } from "./version";

/** What the device history's status (history-store.ts) asks of the user, in this tab. */
const STORE_NOTICES = {
  open: null,
  replaced: "Porthole was updated in another tab: reload this one to go on.",
  blocked: "Close Porthole's other tabs to finish its update.",
} as const;

/** Failures of these use cases are shown by their own views (inline). */
const INLINE: ReadonlySet<NotificationName> = new Set([
  "ADD_CONTACT",
  "LOGIN",
  "SET_MY_AVATAR",
  "CREATE_ROOM",
  "RENAME_ROOM",
  "SET_SUBJECT",
  "CHANGE_NICK",
  "KICK_OCCUPANT",
  "BAN_OCCUPANT",
  "INVITE_CONTACT",
]);

export function useAppMediator() {
  const facade = useFacade();
  const { xmpp, chats } = facade.model;
  const notice = useSignal<string | null>(null);
  useNotification("COMMAND_FAILED", ({ command, message }) => {
    if (!INLINE.has(command)) notice.value = message;
  });
  useNotification("DISCONNECT", ({ reason }) => {
    notice.value = `${reason} Reconnecting automatically…`;
  });
  useNotification("ONLINE", ({ reconnected }) => {
    if (reconnected) notice.value = null;
  });
  useNotification("LOGOUT", () => {
    notice.value = null;
  });
  const state = xmpp.state.value;
  const storeStatus = facade.model.store.status?.value ?? "open";
  // Per frame, not per incoming message.
  const unread = useFrameValue(chats.totalUnread);
  // Back online, or back in the foreground: reconnect now instead of at the next back-off step.
  useEffect(() => {
    const retry = () => void facade.send("RECONNECT");
    // Whether anyone looks at the page, for the server (XEP-0352 client state indication).
    const tellState = () => void facade.send("SET_CLIENT_STATE", { active: document.visibilityState === "visible" });
    const visible = () => {
      const shown = document.visibilityState === "visible";
      void facade.send("PAGE_VISIBILITY", { visible: shown });
      tellState();
      if (shown) retry();
    };
    if (document.visibilityState !== "visible") void facade.send("PAGE_VISIBILITY", { visible: false });
    tellState();
    window.addEventListener("online", retry);
    document.addEventListener("visibilitychange", visible);
    const unsubscribe = notifyWhileHidden(facade);
    const stopOpenChat = listenForOpenChat((jid) => void facade.send("OPEN_CHAT", { jid }));
    void closeStaleNotifications();
    return () => {
      stopOpenChat();
      window.removeEventListener("online", retry);
      document.removeEventListener("visibilitychange", visible);
      unsubscribe();
    };
  }, [facade]);
  useEffect(() => {
    document.title = unread ? `(${unread}) ${APP_NAME}` : APP_NAME;
    showUnreadBadge(unread);
  }, [unread]);
  return {
    state,
    word: connectionWord(state, xmpp.presence.value.show, browserOnline.value),
    jid: xmpp.jid.value,
    signedIn: state === "online" || state === "reconnecting",
    activeChat: chats.active.value,
    totalUnread: unread,
    notice: notice.value,
    storeStatus,
    storeNotice: STORE_NOTICES[storeStatus],
    reloadPage: () => window.location.reload(),
    dismissNotice: () => {
      notice.value = null;
    },
    reconnect: () => facade.send("RECONNECT"),
  };
}
