/**
 * Mediator of the settings view: the Enter preference (enter-sends.ts), clearing this device's
 * history (the LOGOUT use case with clearHistory: it ends the session, so no message lands in the
 * store after it is cleared), the build label (<html data-build>, pwa/register.tsx) and closing.
 */
import { useState } from "preact/hooks";
import { useFacade } from "../../app/facade-context";
import { APP_NAME, APP_VERSION } from "../../app/version";
import { readEnterSends, writeEnterSends } from "./enter-sends";
import { settingsOpen } from "./settings-open";

export function useSettingsMediator() {
  const facade = useFacade();
  const [enterSends, setEnterSends] = useState(readEnterSends);
  const [stored, setStored] = useState(true);
  return {
    address: facade.model.xmpp.bare,
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
