/**
 * What a signed-in user sees: below the app bar the roster and the open chat or the settings (side by
 * side on wide screens, one at a time on phones), and the app bar's menu. Loaded after the first paint
 * (lazy-panes.tsx), so the first load carries only the login view.
 */
import { computed } from "@preact/signals";
import { useEffect, useMemo, useRef } from "preact/hooks";
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
  // Whether the open chat is a room: a derived signal, so the panes render again when that changes,
  // not on every change of a room (each of a big room's occupant presences changes it).
  const isRoom = useMemo(() => computed(() => activeChat !== null && rooms.rooms.value.has(activeChat)), [rooms, activeChat]);
  const inRoom = isRoom.value;
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
