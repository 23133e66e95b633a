/**
 * The room view (XEP-0045): header (back, the room's name and subject, its menu: occupants, mute,
 * leave), the message log (nicknames above others' messages, mentions of me highlighted), the
 * composer, and the occupants with their roles. Subjects, nicknames and bodies are text, never markup.
 */
import { useState } from "preact/hooks";
import { Composer } from "../chat/composer";
import { MessageList } from "../chat/message-list";
import { DisclosureMenu, MoreIcon } from "../disclosure-menu";
import { useRoomMediator } from "./use-room-mediator";
import "../chat/chat.css";
import "./room.css";

const ROLE_WORD = { moderator: "Moderators", participant: "Participants", visitor: "Visitors", none: "Others" } as const;

export function RoomView({ jid }: { jid: string }) {
  const m = useRoomMediator(jid);
  const [showPeople, setShowPeople] = useState(false);
  const groups = new Map<string, string[]>();
  for (const o of m.occupants) groups.set(o.role, [...(groups.get(o.role) ?? []), o.nick]);
  return (
    <section
      class="chat room"
      aria-label={`Room ${m.name}`}
      data-jid={jid}
      onKeyDown={(e) => {
        if (e.key === "Escape") m.close();
      }}
    >
      <header class="chat__head">
        <button type="button" class="btn btn--quiet chat__back" onClick={m.close} aria-label="Back to contacts">
          ←
        </button>
        <div class="room__title">
          <h2 class="chat__title" title={jid}>
            <span class="chat__name">{m.name}</span>
          </h2>
          {m.subject ? (
            <p class="room__subject" data-testid="room-subject">
              {m.subject}
            </p>
          ) : null}
        </div>
        <button
          type="button"
          class="btn btn--quiet"
          aria-expanded={showPeople}
          aria-controls="room-people"
          onClick={() => setShowPeople(!showPeople)}
        >
          {m.occupants.length} {m.occupants.length === 1 ? "person" : "people"}
        </button>
        <DisclosureMenu id="room-menu" label="Room options" icon={<MoreIcon />}>
          {(close) => (
            <ul class="menu__list">
              <li>
                <button
                  type="button"
                  class="btn btn--quiet menu__item"
                  onClick={() => {
                    m.mute(!m.muted);
                    close();
                  }}
                >
                  {m.muted ? "Unmute notifications" : "Mute notifications"}
                </button>
              </li>
              <li>
                <button type="button" class="btn btn--quiet menu__item" onClick={m.leave}>
                  Leave room
                </button>
              </li>
            </ul>
          )}
        </DisclosureMenu>
      </header>
      {m.state !== "joined" ? (
        <p class="roster__stale room__status" data-testid="room-status">
          {m.problem ?? (m.state === "joining" ? "Joining the room…" : "You are not in this room right now.")}
          {m.state === "left" && m.problem ? (
            <button type="button" class="btn btn--quiet" onClick={m.rejoin}>
              Join again
            </button>
          ) : null}
        </p>
      ) : null}
      {showPeople ? (
        <section id="room-people" class="room__people" aria-label="People in this room">
          {[...groups].map(([role, nicks]) => (
            <div key={role}>
              <h3>{ROLE_WORD[role as keyof typeof ROLE_WORD]}</h3>
              <ul>
                {nicks.map((n) => (
                  <li key={n}>
                    {n}
                    {n === m.nick ? " (you)" : ""}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
      <MessageList
        key={jid}
        thread={m.thread}
        older={m.older}
        onTop={m.loadOlder}
        peerName={m.name}
        firstUnread={m.firstUnread}
      />
      <Composer key={jid} onSend={m.send} draft={m.draft} onDraft={m.keepDraft} />
    </section>
  );
}
