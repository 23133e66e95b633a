/**
 * What a signed-in user sees: below the app bar the roster and the open chat or the settings (side by
 * side on wide screens, one at a time on phones), and the app bar's menu. Loaded after the first paint
 * (lazy-panes.tsx), so the first load carries only the login view.
 */
import { useEffect, useRef } from "preact/hooks";
import { ChatView } from "../views/chat/chat-view";
import { RoomView } from "../views/room/room-view";
import { RosterView } from "../views/roster/roster-view";
import { settingsOpen } from "../views/settings/settings-open";
import { SettingsView } from "../views/settings/settings-view";
import { useFacade } from "./facade-context";

export * as contactCommands from "../commands/contacts-commands";
export { AccountMenu } from "../views/account/account-menu";

export function SignedInPanes({ activeChat }: { activeChat: string | null }) {
  const { rooms } = useFacade().model;
  const shownChat = useRef(activeChat);
  // Opening a chat (from the roster) replaces the settings; logging out closes them.
  useEffect(() => {
    if (activeChat && activeChat !== shownChat.current) settingsOpen.value = false;
    shownChat.current = activeChat;
  }, [activeChat]);
  useEffect(
    () => () => {
      settingsOpen.value = false;
    },
    [],
  );
  const settings = settingsOpen.value;
  const inRoom = activeChat !== null && rooms.rooms.value.has(activeChat);
  return (
    <main class={`panes${settings || activeChat ? " panes--detail" : ""}`}>
      <RosterView />
      {settings ? (
        <SettingsView />
      ) : activeChat && inRoom ? (
        <RoomView jid={activeChat} />
      ) : activeChat ? (
        <ChatView jid={activeChat} />
      ) : (
        <p class="panes__empty">Choose a contact to chat.</p>
      )}
    </main>
  );
}
