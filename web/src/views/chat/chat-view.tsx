/**
 * The chat view (seed: ChatPanel): header (chat-header.tsx), the message log, the composer. The
 * composer also answers a message (a reply) or corrects my last one (composer-mode.tsx): from a
 * message's menu, or with the Up arrow in an empty composer.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { AttachControls } from "../files/attach-controls";
import { InvitationNotice } from "../room/invitation-notice";
import { ChatHeader } from "./chat-header";
import { Composer } from "./composer";
import { ComposerModeBar } from "./composer-mode";
import { isTouch } from "./enter-sends";
import { MessageList } from "./message-list";
import { useChatMediator } from "./use-chat-mediator";
import { useMessageActions } from "./use-message-actions";
import "./chat.css";
import "./rich.css";

export function ChatView({ jid }: { jid: string }) {
  const m = useChatMediator(jid);
  const section = useRef<HTMLElement>(null);
  const [dropping, setDropping] = useState(false);
  const hasFiles = (e: DragEvent) => !!e.dataTransfer?.types.includes("Files");
  const { mode, setMode, actions } = useMessageActions(jid, m);
  // Opening a chat puts the cursor in its composer, except on touch screens (it would pop the keyboard);
  // so does starting a reply or an edit.
  useEffect(() => {
    if (!isTouch() || mode) section.current?.querySelector("textarea")?.focus();
  }, [jid, mode]);
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
        if (e.key !== "Escape" || e.defaultPrevented) return;
        if (mode) setMode(null);
        else m.close();
      }}
    >
      <ChatHeader
        name={m.name}
        jid={jid}
        availability={m.availability}
        presenceKnown={m.presenceKnown}
        inRoster={m.inRoster}
        isPrivate={m.isPrivate}
        blocked={m.blocked}
        image={m.image}
        onBack={m.close}
        onAdd={m.add}
        onRemove={m.remove}
        onRename={m.rename}
        onBlock={m.block}
        onUnblock={m.unblock}
        onDelete={m.deleteChat}
      />
      <InvitationNotice />
      {m.blocked ? (
        <p class="chat__blocked" data-testid="blocked-notice">
          You blocked {m.name}: nothing they send reaches you. Unblock them from the chat's menu.
        </p>
      ) : null}
      {/* A new chat starts at its newest message: a fresh list, not the previous chat's scroll state. */}
      <MessageList
        key={jid}
        thread={m.thread}
        older={m.older}
        onTop={m.loadOlder}
        peerName={m.name}
        firstUnread={m.firstUnread}
        actions={actions}
      />
      <p class="chat__typing" aria-live="polite" data-testid="typing">
        {m.typing ? `${m.name} is typing…` : ""}
      </p>
      <ComposerModeBar mode={mode} author={mode?.m.direction === "out" ? "yourself" : m.name} onCancel={() => setMode(null)} />
      <Composer
        key={mode?.kind === "edit" ? `${jid}:edit:${mode.m.id}` : jid}
        onSend={(body) => {
          if (mode?.kind === "edit") void m.correct(mode.m.id, body);
          else void m.send(body, mode?.kind === "reply" ? mode.m.id : undefined);
          setMode(null);
        }}
        onChatState={m.chatState}
        draft={mode?.kind === "edit" ? mode.m.body : m.draft}
        onDraft={mode?.kind === "edit" ? undefined : m.keepDraft}
        onEditLast={() => {
          const last = m.lastOwn();
          if (last) setMode({ kind: "edit", m: last });
          return !!last;
        }}
        tools={<AttachControls to={jid} />}
        onPasteFiles={(files) => {
          for (const file of files) m.attach(file);
        }}
      />
    </section>
  );
}
