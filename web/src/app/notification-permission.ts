/**
 * The browser's notification permission (Notifications API, Notification.permission) as a hook that
 * follows changes made in the browser's site settings (Permissions API `change` event, where
 * available), and the words that say what it means and how to change it.
 */
import { useEffect, useState } from "preact/hooks";

export type NotificationAccess = "unsupported" | "default" | "granted" | "denied";

export function notificationAccess(): NotificationAccess {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** What each state means for the user, and how to change it. */
export const NOTIFICATION_TEXT: Record<NotificationAccess, string> = {
  unsupported: "This browser cannot show notifications.",
  default: "Get a notification for messages that arrive while Porthole is in the background.",
  granted: "Notifications are on. To turn them off, use the browser's site settings.",
  denied:
    "Notifications are blocked for this site: allow them in the browser's site settings (the icon beside the address), then reload.",
};

export function useNotificationAccess(): { access: NotificationAccess; ask: () => void } {
  const [access, setAccess] = useState(notificationAccess);
  useEffect(() => {
    let status: PermissionStatus | null = null;
    const update = () => setAccess(notificationAccess());
    navigator.permissions
      ?.query({ name: "notifications" })
      .then((s) => {
        status = s;
        s.addEventListener("change", update);
      })
      .catch(() => {});
    return () => status?.removeEventListener("change", update);
  }, []);
  return {
    access,
    ask: () => {
      if (access !== "default") return;
      void Notification.requestPermission()
        .catch(() => {})
        .finally(() => setAccess(notificationAccess()));
    },
  };
}
