/** The chat view (seed: ChatPanel): header (chat-header.tsx), the message log, the composer. */
import { useEffect, useRef, useState } from "preact/hooks";
import { AttachControls } from "../files/attach-controls";
import { ChatHeader } from "./chat-header";
import { Composer } from "./composer";
import { isTouch } from "./enter-sends";
import { MessageList } from "./message-list";
import { useChatMediator } from "./use-chat-mediator";
import "./chat.css";

export function ChatView({ jid }: { jid: string }) {
  const m = useChatMediator(jid);
  const section = useRef<HTMLElement>(null);
  const [dropping, setDropping] = useState(false);
  const hasFiles = (e: DragEvent) => !!e.dataTransfer?.types.includes("Files");
  // Opening a chat puts the cursor in its composer, except on touch screens (it would pop the keyboard).
  useEffect(() => {
    if (!isTouch()) section.current?.querySelector("textarea")?.focus();
  }, [jid]);
  return (
    <section
      ref={section}
      class={dropping ? "chat chat--drop" : "chat"}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDropping(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDropping(false);
        for (const file of Array.from(e.dataTransfer?.files ?? [])) m.attach(file);
      }}
      aria-label={`Chat with ${m.name}`}
      data-jid={jid}
      onKeyDown={(e) => {
        if (e.key === "Escape") m.close();
      }}
    >
      <ChatHeader
        name={m.name}
        jid={jid}
        availability={m.availability}
        presenceKnown={m.presenceKnown}
        inRoster={m.inRoster}
        onBack={m.close}
        onAdd={m.add}
        onRemove={m.remove}
      />
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
      <Composer
        key={jid}
        onSend={m.send}
        onChatState={m.chatState}
        draft={m.draft}
        onDraft={m.keepDraft}
        tools={<AttachControls to={jid} />}
        onPasteFiles={(files) => {
          for (const file of files) m.attach(file);
        }}
      />
    </section>
  );
}
