/**
 * The composer: Enter sends, Shift+Enter inserts a newline. Typing is announced (XEP-0085 §5.2):
 * "composing" on the first keystroke, "paused" after 5 s without one; the sent message says "active".
 */
import type { TargetedKeyboardEvent } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_BODY } from "../../app/limits";

const PAUSE_MS = 5000;

export function Composer({
  onSend,
  onChatState,
}: {
  onSend: (body: string) => void;
  onChatState?: (state: "composing" | "paused") => void;
}) {
  const [text, setText] = useState("");
  const composing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopComposing = () => {
    if (composing.current) clearTimeout(composing.current);
    composing.current = null;
  };
  useEffect(() => stopComposing, []);
  const typed = (value: string) => {
    setText(value);
    if (!onChatState) return;
    if (!composing.current) onChatState("composing");
    else clearTimeout(composing.current);
    composing.current = setTimeout(() => {
      composing.current = null;
      onChatState("paused");
    }, PAUSE_MS);
  };
  const send = () => {
    if (!text.trim()) return;
    stopComposing();
    onSend(text);
    setText("");
  };
  const onKeyDown = (e: TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <textarea
        aria-label="Message"
        maxLength={MAX_BODY}
        rows={2}
        value={text}
        onInput={(e) => typed(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" class="btn btn--primary">
        Send
      </button>
    </form>
  );
}
