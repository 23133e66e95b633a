/**
 * Mediator of the settings view: the Enter preference (enter-sends.ts), clearing this device's
 * history (the LOGOUT use case with clearHistory: it ends the session, so no message lands in the
 * store after it is cleared), the build label (<html data-build>, pwa/register.tsx) and closing.
 */
import { useState } from "preact/hooks";
import { useFacade } from "../../app/facade-context";
import { APP_NAME, APP_VERSION } from "../../app/version";
import type { AvatarPick } from "./avatar-image";
import { readEnterSends, writeEnterSends } from "./enter-sends";
import { settingsOpen } from "./settings-open";

export function useSettingsMediator() {
  const facade = useFacade();
  const [enterSends, setEnterSends] = useState(readEnterSends);
  const [stored, setStored] = useState(true);
  const { avatars, blocklist } = facade.model;
  const address = facade.model.xmpp.bare;
  return {
    address,
    myAvatar: avatars.images.value.get(address),
    blocked: [...blocklist.blocked.value].sort(),
    unblock: (jid: string) => facade.send("UNBLOCK_CONTACT", { jid }),
    /** Publishes the avatar; false when the server refused it. */
    setAvatar: async (pick: AvatarPick) => {
      let failed = false;
      const off = facade.subscribe("COMMAND_FAILED", ({ command }) => {
        if (command === "SET_MY_AVATAR") failed = true;
      });
      await facade.send("SET_MY_AVATAR", pick);
      off();
      return !failed;
    },
    enterSends,
    /** False when the browser refused to keep the choice. */
    stored,
    setEnterSends: (on: boolean) => {
      setEnterSends(on);
      setStored(writeEnterSends(on));
    },
    clearHistory: () => {
      settingsOpen.value = false;
      void facade.send("LOGOUT", { clearHistory: true });
    },
    about: `${APP_NAME} ${APP_VERSION}`,
    build: document.documentElement.dataset.build ?? "unlabelled",
    close: () => {
      settingsOpen.value = false;
    },
  };
}
