/**
 * The app bar's menu for a signed-in user: who I am and my presence, the notification permission,
 * settings, log out. Part of the signed-in chunk (lazy-panes.tsx), never of the first load.
 */

import { DisclosureMenu, MenuIcon } from "../views/disclosure-menu";
import { MyPresence } from "../views/roster/my-presence";
import { settingsOpen } from "../views/settings/settings-open";
import { useFacade } from "./facade-context";
import { LogoutButton } from "./logout-button";
import { NotificationSetting } from "./notification-setting";
import type { MyShow } from "./notifications";

export function AccountMenu() {
  const facade = useFacade();
  const { xmpp } = facade.model;
  const presence = xmpp.presence.value;
  return (
    <DisclosureMenu id="account-menu" label="Menu" icon={<MenuIcon />}>
      {(close) => (
        <>
          <section class="menu__section" aria-labelledby="menu-account">
            <h2 id="menu-account">Account</h2>
            <p class="menu__who">
              Signed in as <strong data-testid="my-address">{xmpp.bare}</strong>
            </p>
            <MyPresence
              show={presence.show}
              status={presence.status}
              onSet={(show: MyShow, status: string) => facade.send("SET_PRESENCE", { show, status })}
            />
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
                  settingsOpen.value = true;
                }}
              >
                Settings
              </button>
            </li>
            <li>
              <LogoutButton onLogout={(clearHistory) => facade.send("LOGOUT", { clearHistory })} />
            </li>
          </ul>
        </>
      )}
    </DisclosureMenu>
  );
}
