/**
 * The app bar's menu for a signed-in user: who I am and my presence, the notification permission,
 * settings, log out. Part of the signed-in chunk (app/lazy-panes.tsx), never of the first load.
 */
import { LogoutButton } from "../../app/logout-button";
import { NotificationSetting } from "../../app/notification-setting";
import { DisclosureMenu, MenuIcon } from "../disclosure-menu";
import { MyPresence } from "../roster/my-presence";
import { useAccountMediator } from "./use-account-mediator";

export function AccountMenu() {
  const m = useAccountMediator();
  return (
    <DisclosureMenu id="account-menu" label="Menu" icon={<MenuIcon />}>
      {(close) => (
        <>
          <section class="menu__section" aria-labelledby="menu-account">
            <h2 id="menu-account">Account</h2>
            <p class="menu__who">
              Signed in as <strong data-testid="my-address">{m.address}</strong>
            </p>
            <MyPresence show={m.presence.show} status={m.presence.status} onSet={m.setPresence} />
          </section>
          <section class="menu__section" aria-labelledby="menu-notifications">
            <h2 id="menu-notifications">Notifications</h2>
            <NotificationSetting />
          </section>
          <ul class="menu__list">
            <li>
              <button
                type="button"
                class="btn btn--quiet menu__item"
                onClick={() => {
                  close(false);
                  m.openSettings();
                }}
              >
                Settings
              </button>
            </li>
            <li>
              <LogoutButton onLogout={m.logout} />
            </li>
          </ul>
        </>
      )}
    </DisclosureMenu>
  );
}
