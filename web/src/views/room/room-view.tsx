/**
 * The room view (XEP-0045): header (back, the room's name and subject, its menu: occupants, mute,
 * leave), the message log (nicknames above others' messages, mentions of me highlighted), the
 * composer, and the occupants with their roles. Subjects, nicknames and bodies are text, never markup.
 */
import { useState } from "preact/hooks";
import { Composer } from "../chat/composer";
import { ComposerModeBar } from "../chat/composer-mode";
import { useMessageActions } from "../chat/use-message-actions";
import { DisclosureMenu, MoreIcon } from "../disclosure-menu";
import { InvitationNotice } from "./invitation-notice";
import { type AdminForm, RoomAdminForm } from "./room-admin-form";
import { RoomLog } from "./room-log";
import { RoomPeople } from "./room-people";
import { useRoomAdminMediator } from "./use-room-admin-mediator";
import { useRoomMediator } from "./use-room-mediator";
import "../chat/chat.css";
import "../chat/rich.css";
import "./room.css";
import "./room-admin.css";

export function RoomView({ jid }: { jid: string }) {
  const m = useRoomMediator(jid);
  const admin = useRoomAdminMediator(jid);
  const [showPeople, setShowPeople] = useState(false);
  const [form, setForm] = useState<AdminForm | null>(null);
  // Reply, correct, delete and react, as in a chat; a moderator removes; no chat markers in rooms.
  const { mode, setMode, actions } = useMessageActions(jid, m);
  const adminItems: Array<[AdminForm, string]> = [
    ["nick", "Change nickname"],
    ["subject", "Change subject"],
    ...(admin.isOwner ? ([["rename", "Rename room"]] as Array<[AdminForm, string]>) : []),
    ["invite", "Invite a contact"],
  ];
  return (
    <section
      class="chat room"
      aria-label={`Room ${m.name}`}
      data-jid={jid}
      onKeyDown={(e) => {
        if (e.key !== "Escape" || e.defaultPrevented) return;
        if (mode) setMode(null);
        else m.close();
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
              {admin.joined
                ? adminItems.map(([f, label]) => (
                    <li key={f}>
                      <button
                        type="button"
                        class="btn btn--quiet menu__item"
                        onClick={() => {
                          admin.clearProblem();
                          setForm(f);
                          close(false);
                        }}
                      >
                        {label}
                      </button>
                    </li>
                  ))
                : null}
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
      <InvitationNotice />
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
      {form ? (
        <RoomAdminForm
          key={form}
          form={form}
          initial={form === "nick" ? admin.nick : form === "subject" ? admin.subject : form === "rename" ? admin.name : ""}
          problem={admin.problem}
          onSubmit={(value, reason) =>
            form === "nick"
              ? admin.changeNick(value)
              : form === "subject"
                ? admin.setSubject(value)
                : form === "rename"
                  ? admin.rename(value)
                  : admin.invite(value, reason)
          }
          onClose={() => setForm(null)}
        />
      ) : null}
      {showPeople ? (
        <RoomPeople
          occupants={m.occupants}
          me={m.nick}
          canKick={admin.canKick}
          canBan={admin.canBan}
          problem={admin.problem}
          onMessage={admin.privateMessage}
          onKick={admin.kick}
          onBan={admin.ban}
        />
      ) : null}
      <RoomLog
        key={jid}
        thread={m.thread}
        older={m.older}
        onTop={m.loadOlder}
        peerName={m.name}
        firstUnread={m.firstUnread}
        actions={actions}
      />
      <ComposerModeBar
        mode={mode}
        author={mode?.m.direction === "out" ? "yourself" : (mode?.m.nick ?? m.name)}
        onCancel={() => setMode(null)}
      />
      <Composer
        key={mode?.kind === "edit" ? `${jid}:edit:${mode.m.id}` : jid}
        onSend={(body) => {
          if (mode?.kind === "edit") void m.correct(mode.m.id, body);
          else void m.send(body, mode?.kind === "reply" ? mode.m.id : undefined);
          setMode(null);
        }}
        draft={mode?.kind === "edit" ? mode.m.body : m.draft}
        onDraft={mode?.kind === "edit" ? undefined : m.keepDraft}
        onEditLast={() => {
          const last = m.lastOwn();
          if (last) setMode({ kind: "edit", m: last });
          return !!last;
        }}
      />
    </section>
  );
}
