/**
 * The messages of one chat. Bodies are rendered as text nodes (never as HTML): markup in a message is
 * shown, not executed. Keeps the newest message in view.
 */
import { useLayoutEffect, useRef } from "preact/hooks";
import type { ChatMessage, DeliveryState } from "../../model/chats-proxy";

const STATE: Record<DeliveryState, string> = {
  queued: "Pending",
  sending: "Sending…",
  sent: "Sent",
  delivered: "Delivered",
  failed: "Not delivered",
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export function MessageList({ messages }: { messages: readonly ChatMessage[] }) {
  const end = useRef<HTMLLIElement>(null);
  useLayoutEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [messages.length]);
  return (
    <div class="messages" role="log" aria-label="Messages" aria-live="polite">
      <ol class="messages__list">
        {messages.map((m) => (
          <li key={`${m.direction}-${m.id}`} class={`msg msg--${m.direction}`} data-state={m.state}>
            <p class="msg__body">{m.body}</p>
            <p class="msg__meta">
              <time dateTime={new Date(m.at).toISOString()}>{timeFormat.format(m.at)}</time>
              {m.direction === "out" ? <span class="msg__state"> · {STATE[m.state]}</span> : null}
            </p>
          </li>
        ))}
        <li ref={end} class="messages__end" aria-hidden="true" />
      </ol>
    </div>
  );
}
