/** The composer: Enter sends, Shift+Enter inserts a newline. */
import type { TargetedKeyboardEvent } from "preact";
import { useState } from "preact/hooks";
import { MAX_BODY } from "../../app/limits";

export function Composer({ onSend }: { onSend: (body: string) => void }) {
  const [text, setText] = useState("");
  const send = () => {
    if (!text.trim()) return;
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
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" class="btn btn--primary">
        Send
      </button>
    </form>
  );
}
