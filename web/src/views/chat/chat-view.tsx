/** The chat view (seed: ChatPanel): header with back and remove, the message log, the composer. */
import { useEffect, useRef, useState } from "preact/hooks";
import { PRESENCE_WORD } from "../presence";
import { Composer } from "./composer";
import { isTouch } from "./enter-sends";
import { MessageList } from "./message-list";
import { useChatMediator } from "./use-chat-mediator";
import "./chat.css";

export function ChatView({ jid }: { jid: string }) {
  const m = useChatMediator(jid);
  const [confirming, setConfirming] = useState(false);
  const section = useRef<HTMLElement>(null);
  // Opening a chat puts the cursor in its composer, except on touch screens (it would pop the keyboard).
  useEffect(() => {
    if (!isTouch()) section.current?.querySelector("textarea")?.focus();
  }, [jid]);
  return (
    <section
      ref={section}
      class="chat"
      aria-label={`Chat with ${m.name}`}
      onKeyDown={(e) => {
        if (e.key === "Escape") m.close();
      }}
    >
      <header class="chat__head">
        <button type="button" class="btn btn--quiet chat__back" onClick={m.close} aria-label="Back to contacts">
          ←
        </button>
        <h2 class="chat__title">
          <span class={`presence presence--${PRESENCE_WORD[m.availability]}`} aria-hidden="true" />
          {m.name}
          <span class="visually-hidden"> ({PRESENCE_WORD[m.availability]})</span>
        </h2>
        {m.inRoster ? (
          confirming ? (
            <button type="button" class="btn btn--danger" onClick={m.remove} onBlur={() => setConfirming(false)}>
              Confirm remove
            </button>
          ) : (
            <button type="button" class="btn btn--quiet" onClick={() => setConfirming(true)}>
              Remove contact
            </button>
          )
        ) : (
          <button type="button" class="btn btn--quiet" onClick={m.add}>
            Add to contacts
          </button>
        )}
      </header>
      {/* A new chat starts at its newest message: a fresh list, not the previous chat's scroll state. */}
      <MessageList
        key={jid}
        thread={m.thread}
        older={m.older}
        onTop={m.loadOlder}
        peerName={m.name}
        firstUnread={m.firstUnread}
      />
      <p class="chat__typing" aria-live="polite" data-testid="typing">
        {m.typing ? `${m.name} is typing…` : ""}
      </p>
      <Composer key={jid} onSend={m.send} onChatState={m.chatState} draft={m.draft} onDraft={m.keepDraft} />
    </section>
  );
}
