/**
 * The rooms beside the contacts (XEP-0045): each with its unread count, its mentions of my nickname
 * ("@ 2") and whether it is muted, then "Join a room" (address, nickname, optional password).
 */
import type { TargetedSubmitEvent } from "preact";
import { useState } from "preact/hooks";
import type { Room } from "../../model/rooms/rooms-proxy";
import { CreateRoom } from "./create-room";
import { Invitations } from "./invitations";
import { useCreateRoomMediator } from "./use-create-room-mediator";
import { useRoomsMediator } from "./use-rooms-mediator";
import "./room.css";
import "./room-admin.css";

function RoomRow({
  room,
  unread,
  mentions,
  muted,
  active,
  onOpen,
}: {
  room: Room;
  unread: number;
  mentions: number;
  muted: boolean;
  active: boolean;
  onOpen: (jid: string) => void;
}) {
  const state = room.state === "joined" ? "" : room.state === "joining" ? " (joining…)" : " (not joined)";
  return (
    <li class={`room-row${active ? " room-row--active" : ""}`}>
      <button type="button" class="btn btn--quiet room-row__open" data-jid={room.jid} onClick={() => onOpen(room.jid)}>
        <span class="room-row__hash" aria-hidden="true">
          #
        </span>
        <span class="room-row__name">{room.name || room.jid}</span>
        <span class="visually-hidden">{state}</span>
      </button>
      {muted ? <span class="room-row__muted">muted</span> : null}
      {mentions ? (
        <span class="badge badge--mention" data-testid="mentions">
          @{mentions}
          <span class="visually-hidden"> mentions</span>
        </span>
      ) : null}
      {unread ? (
        <span class="badge">
          {unread}
          <span class="visually-hidden"> unread</span>
        </span>
      ) : null}
    </li>
  );
}

function JoinRoom({
  problem,
  onJoin,
}: {
  problem: string | null;
  onJoin: (room: string, nick: string, password: string) => Promise<boolean>;
}) {
  const [room, setRoom] = useState("");
  const [nick, setNick] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    const ok = await onJoin(room, nick, password);
    setBusy(false);
    if (ok) {
      setRoom("");
      setPassword("");
    }
  };
  return (
    <details class="add-contact join-room">
      <summary>Join a room</summary>
      <form onSubmit={onSubmit} aria-label="Join a room">
        <input
          type="text"
          inputMode="email"
          autoCapitalize="none"
          spellcheck={false}
          aria-label="Room address"
          placeholder="room@conference.example.org"
          required
          value={room}
          onInput={(e) => setRoom(e.currentTarget.value)}
        />
        <input
          type="text"
          autoCapitalize="none"
          spellcheck={false}
          aria-label="Nickname"
          placeholder="Nickname"
          required
          value={nick}
          onInput={(e) => setNick(e.currentTarget.value)}
        />
        <input
          type="password"
          aria-label="Room password"
          placeholder="Password (if any)"
          autoComplete="off"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" class="btn btn--primary" disabled={busy}>
          {busy ? "Joining…" : "Join"}
        </button>
        {problem ? (
          <p class="form-problem" role="alert" data-testid="join-problem">
            {problem}
          </p>
        ) : null}
      </form>
    </details>
  );
}

export function RoomsSection() {
  const m = useRoomsMediator();
  const c = useCreateRoomMediator();
  return (
    <>
      <Invitations invitations={c.invitations} suggestedNick={c.suggestedNick} onAccept={c.accept} onDecline={c.decline} />
      {m.rooms.length ? (
        <section class="requests rooms" aria-labelledby="rooms-title">
          <h2 id="rooms-title">Rooms</h2>
          <ul>
            {m.rooms.map((r) => (
              <RoomRow
                key={r.jid}
                room={r}
                unread={m.unread.get(r.jid) ?? 0}
                mentions={m.mentions.get(r.jid) ?? 0}
                muted={m.muted.has(r.jid)}
                active={m.active === r.jid}
                onOpen={m.open}
              />
            ))}
          </ul>
        </section>
      ) : null}
      <JoinRoom problem={m.problem} onJoin={m.join} />
      <CreateRoom domain={c.domain} suggestedNick={c.suggestedNick} problem={c.problem} notice={c.notice} onCreate={c.create} />
    </>
  );
}
