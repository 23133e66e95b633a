/** The notification permission in words, with "Enable notifications" while the browser may still ask. */
import { NOTIFICATION_TEXT, useNotificationAccess } from "./notification-permission";

export function NotificationSetting() {
  const { access, ask } = useNotificationAccess();
  return (
    <div class="notification-setting" data-testid="notification-setting" data-access={access}>
      <p class="hint">{NOTIFICATION_TEXT[access]}</p>
      {access === "default" ? (
        <button type="button" class="btn" onClick={ask}>
          Enable notifications
        </button>
      ) : null}
    </div>
  );
}
