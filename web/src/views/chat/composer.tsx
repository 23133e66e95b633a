/**
 * The composer: Enter sends and Shift+Enter inserts a newline, or, on touch screens (or by the reader's
 * choice, enter-sends.ts), Enter is a newline and the Send button sends. The box grows with its text up
 * to a few lines. What is typed is kept as the chat's draft (drafts-proxy.ts) a moment after the last
 * keystroke and when the composer goes away. Typing is announced (XEP-0085 §5.2): "composing" on the
 * first keystroke, "paused" after 5 s without one; the sent message says "active". The Up arrow in an
 * empty composer edits my last message (`onEditLast`, as in most desktop chat clients).
 */
import type { ComponentChildren, TargetedKeyboardEvent } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_BODY } from "../../app/limits";
import { enterSends } from "./enter-sends";

const PAUSE_MS = 5000;
/** The draft is kept this long after the last keystroke (and at once when the composer goes away). */
const DRAFT_MS = 300;

export function Composer({
  onSend,
  onChatState,
  draft = "",
  onDraft,
  tools,
  onPasteFiles,
  onEditLast,
}: {
  onSend: (body: string) => void;
  onChatState?: (state: "composing" | "paused") => void;
  /** The chat's kept draft, shown when the composer opens. */
  draft?: string;
  /** Keeps what is typed as the chat's draft. */
  onDraft?: (text: string) => void;
  /** Buttons before the text box (attach a file, take a photo). */
  tools?: ComponentChildren;
  /** Files pasted into the text box (a screenshot, a copied image). */
  onPasteFiles?: (files: File[]) => void;
  /** Up arrow in the empty composer: edit my last message; false if there is none. */
  onEditLast?: () => boolean;
}) {
  const [text, setText] = useState(draft);
  const [sendsOnEnter] = useState(enterSends);
  const pendingDraft = useRef<{ timer: ReturnType<typeof setTimeout>; text: string } | null>(null);
  const keepDraft = (value: string, now = false) => {
    if (pendingDraft.current) clearTimeout(pendingDraft.current.timer);
    pendingDraft.current = null;
    if (now) onDraft?.(value);
    else pendingDraft.current = { text: value, timer: setTimeout(() => keepDraft(value, true), DRAFT_MS) };
  };
  // Leaving the chat, or the page going away (a reload for an update): keep what is pending now.
  useEffect(() => {
    const flush = () => {
      const pending = pendingDraft.current;
      if (pending) keepDraft(pending.text, true);
    };
    addEventListener("pagehide", flush);
    return () => {
      removeEventListener("pagehide", flush);
      flush();
    };
  }, []);
  const composing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopComposing = () => {
    if (composing.current) clearTimeout(composing.current);
    composing.current = null;
  };
  useEffect(() => stopComposing, []);
  const typed = (value: string) => {
    setText(value);
    keepDraft(value);
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
    keepDraft("", true);
  };
  const onKeyDown = (e: TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "ArrowUp" && !text && onEditLast && !e.isComposing && onEditLast()) {
      e.preventDefault();
      return;
    }
    if (sendsOnEnter && e.key === "Enter" && !e.shiftKey && !e.isComposing) {
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
      {tools}
      <textarea
        aria-label="Message"
        maxLength={MAX_BODY}
        rows={1}
        enterkeyhint={sendsOnEnter ? "send" : "enter"}
        value={text}
        onInput={(e) => typed(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        onPaste={(e) => {
          const files = Array.from(e.clipboardData?.files ?? []);
          if (!files.length || !onPasteFiles) return;
          e.preventDefault();
          onPasteFiles(files);
        }}
      />
      <button type="submit" class="btn btn--primary">
        Send
      </button>
    </form>
  );
}
