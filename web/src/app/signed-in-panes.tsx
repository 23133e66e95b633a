/**
 * What a signed-in user sees below the app bar: the roster and the open chat (side by side on wide
 * screens, one at a time on phones). Loaded after the first paint (lazy-panes.tsx), so the first load
 * carries only the login view.
 */
import { ChatView } from "../views/chat/chat-view";
import { RosterView } from "../views/roster/roster-view";

export function SignedInPanes({ activeChat }: { activeChat: string | null }) {
  return (
    <main class="panes">
      <RosterView />
      {activeChat ? <ChatView jid={activeChat} /> : <p class="panes__empty">Choose a contact to chat.</p>}
    </main>
  );
}
