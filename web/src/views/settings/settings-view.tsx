/**
 * The settings view (from the app bar's menu): how Enter behaves in the composer, whether photos are
 * sent in original size (files/photo-setting.tsx), my avatar and the blocked addresses
 * (account-settings.tsx), the notification permission and how to change it, push notifications
 * while Porthole is closed, clearing this device's history (confirmed first), and the
 * version and build label.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { NotificationSetting } from "../../app/notification-setting";
import { PhotoSetting } from "../files/photo-setting";
import { AccountSettings } from "./account-settings";
import { PushSetting } from "./push-setting";
import { useSettingsMediator } from "./use-settings-mediator";
import "./settings.css";

export function SettingsView() {
  const m = useSettingsMediator();
  const [confirming, setConfirming] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);
  return (
    <section
      class="settings"
      aria-labelledby="settings-title"
      onKeyDown={(e) => {
        if (e.key === "Escape" && !confirming) m.close();
      }}
    >
      <header class="settings__head">
        <button type="button" class="btn btn--quiet settings__back" onClick={m.close} aria-label="Close settings">
          ←
        </button>
        <h2 id="settings-title" ref={heading} tabIndex={-1}>
          Settings
        </h2>
      </header>
      <div class="settings__body">
        <section class="settings__group" aria-labelledby="settings-messages">
          <h3 id="settings-messages">Messages</h3>
          <label class="settings__check">
            <input type="checkbox" checked={m.enterSends} onChange={(e) => m.setEnterSends(e.currentTarget.checked)} />
            Enter sends the message
          </label>
          <p class="hint">
            {m.enterSends ? "Shift+Enter starts a new line." : "Enter starts a new line; the Send button sends."}
          </p>
          {m.stored ? null : (
            <p class="form-problem" role="alert">
              This browser did not keep the choice (storage is off for this site).
            </p>
          )}
          <PhotoSetting />
        </section>
        <AccountSettings
          address={m.address}
          image={m.myAvatar}
          blocked={m.blocked}
          onAvatar={m.setAvatar}
          onUnblock={m.unblock}
        />
        <section class="settings__group" aria-labelledby="settings-notifications">
          <h3 id="settings-notifications">Notifications</h3>
          <NotificationSetting />
          <PushSetting />
        </section>
        <section class="settings__group" aria-labelledby="settings-device">
          <h3 id="settings-device">This device</h3>
          {confirming ? (
            <fieldset class="settings__confirm">
              <legend class="visually-hidden">Clear this device's history</legend>
              <p>
                Delete the conversations kept on this device for {m.address}? This also logs you out. The server's archive keeps
                its copy.
              </p>
              <div class="settings__actions">
                <button ref={confirm} type="button" class="btn btn--danger" onClick={m.clearHistory}>
                  Clear and log out
                </button>
                <button type="button" class="btn" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            </fieldset>
          ) : (
            <>
              <p class="hint">Conversations are kept on this device so they show at once, even offline.</p>
              <button type="button" class="btn" onClick={() => setConfirming(true)}>
                Clear this device's history
              </button>
            </>
          )}
        </section>
        <section class="settings__group" aria-labelledby="settings-about">
          <h3 id="settings-about">About</h3>
          <p>
            {m.about}, build <code data-testid="build-id">{m.build}</code>
          </p>
        </section>
      </div>
    </section>
  );
}
