/**
 * Mediator of the app bar's account menu: my address and presence, and the set-presence, settings
 * and log-out use cases.
 */
import { useFacade } from "../../app/facade-context";
import type { MyShow } from "../../app/notifications";
import { settingsOpen } from "../settings/settings-open";

export function useAccountMediator() {
  const facade = useFacade();
  const { xmpp } = facade.model;
  return {
    address: xmpp.bare,
    presence: xmpp.presence.value,
    setPresence: (show: MyShow, status: string) => facade.send("SET_PRESENCE", { show, status }),
    openSettings: () => {
      settingsOpen.value = true;
    },
    logout: (clearHistory: boolean) => facade.send("LOGOUT", { clearHistory }),
  };
}
