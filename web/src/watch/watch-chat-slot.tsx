/**
 * The chat beside the video on the watch page (the webcast layout), in the watch page's own chunk and
 * kept small: for a browser where nobody has signed in to the app, a "Sign in to chat" link to the app
 * (which comes back here once signed in);
 * where someone has (the app's saved address, commands/session/startup.ts), the chat itself, a chunk
 * of its own (watch-chat.tsx: the XMPP session and the room view), fetched only then.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { signInHref } from "./return-after-login";
import { parseWatchPath } from "./watch-path";

/** The app's key for the address last signed in with (commands/session/startup.ts ADDRESS_KEY). */
export const SIGNED_IN_ADDRESS_KEY = "porthole.address";

type Chat = ComponentType<{ room: string }>;

/** "Sign in to chat" opens the app's login, which comes back to this watch page (return-after-login.ts). */
export function SignInToChat({ room }: { room: string }) {
  const target = parseWatchPath(location.pathname);
  return (
    <div class="watch__chat-invite">
      <p>
        Chat in <strong>{room}</strong>
      </p>
      <a class="btn btn--primary watch__sign-in" href={target ? signInHref(target) : "/"} data-testid="watch-sign-in">
        Sign in to chat
      </a>
    </div>
  );
}

function savedAddress(): string | null {
  try {
    return localStorage.getItem(SIGNED_IN_ADDRESS_KEY);
  } catch {
    return null;
  }
}

export function WatchChatSlot({ room }: { room: string }) {
  const [signedIn] = useState(() => savedAddress() !== null);
  const [chat, setChat] = useState<{ Chat: Chat } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    import("./watch-chat").then(
      (m) => live && setChat({ Chat: m.WatchChat }),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [signedIn]);
  return (
    <aside class="watch__chat" aria-label="Chat" data-testid="watch-chat">
      {!signedIn ? (
        <SignInToChat room={room} />
      ) : chat ? (
        <chat.Chat room={room} />
      ) : (
        <p class="watch__chat-note" aria-busy={!failed}>
          {failed ? "The chat could not be loaded." : "Loading the chat…"}
        </p>
      )}
    </aside>
  );
}
