/**
 * The composer's mode (answering or correcting a message, composer-mode.tsx) and the one actions
 * object a log's rows call (rich-actions.ts), for the chat and room views. The actions read the
 * newest mediator, so the object, and the memoised rows, stay the same across renders; the mode ends
 * when the conversation changes.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ChatMessage } from "../../model/chats/chats-proxy";
import type { ComposerMode } from "./composer-mode";
import type { RichActions } from "./rich-actions";

/** What a mediator offers the rows; a room adds moderation, a chat adds chat markers. */
export interface MessageActionsSource {
  lookup: (id: string) => ChatMessage | undefined;
  retract: (m: ChatMessage) => unknown;
  react: (m: ChatMessage, emoji: string) => unknown;
  seen?: (m: ChatMessage) => unknown;
  canModerate?: (m: ChatMessage) => boolean;
  moderate?: (m: ChatMessage, reason: string) => unknown;
}

export function useMessageActions(jid: string, source: MessageActionsSource) {
  const [mode, setMode] = useState<ComposerMode>(null);
  const latest = useRef(source);
  latest.current = source;
  const actions = useMemo<RichActions>(
    () => ({
      lookup: (id) => latest.current.lookup(id),
      reply: (msg) => setMode({ kind: "reply", m: msg }),
      edit: (msg) => setMode({ kind: "edit", m: msg }),
      retract: (msg) => void latest.current.retract(msg),
      react: (msg, emoji) => void latest.current.react(msg, emoji),
      canModerate: (msg) => latest.current.canModerate?.(msg) ?? false,
      moderate: (msg, reason) => void latest.current.moderate?.(msg, reason),
      seen: (msg) => void latest.current.seen?.(msg),
    }),
    [],
  );
  useEffect(() => setMode(null), [jid]);
  return { mode, setMode, actions };
}
