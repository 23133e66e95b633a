/**
 * "Create a room" beside "Join a room" (XEP-0045 §10.1): the address, my nickname, the room's name,
 * members-only (a private group) or open (a public channel), and whether the server keeps its
 * history (XEP-0313). A refusal is said under the form, which keeps what was typed.
 */
import type { TargetedSubmitEvent } from "preact";
import { useState } from "preact/hooks";

interface Props {
  domain: string;
  suggestedNick: string;
  problem: string | null;
  notice: string | null;
  onCreate: (req: { room: string; nick: string; name: string; membersOnly: boolean; archived: boolean }) => Promise<boolean>;
}

export function CreateRoom({ domain, suggestedNick, problem, notice, onCreate }: Props) {
  const [room, setRoom] = useState("");
  const [nick, setNick] = useState(suggestedNick);
  const [name, setName] = useState("");
  const [membersOnly, setMembersOnly] = useState(true);
  const [archived, setArchived] = useState(true);
  const [busy, setBusy] = useState(false);
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    const ok = await onCreate({ room, nick, name, membersOnly, archived });
    setBusy(false);
    if (ok) {
      setRoom("");
      setName("");
    }
  };
  return (
    <details class="add-contact create-room">
      <summary>Create a room</summary>
      <form onSubmit={submit} aria-label="Create a room">
        <input
          type="text"
          inputMode="email"
          autoCapitalize="none"
          spellcheck={false}
          aria-label="New room's address"
          placeholder={`team@conference.${domain}`}
          required
          value={room}
          onInput={(e) => setRoom(e.currentTarget.value)}
        />
        <input
          type="text"
          aria-label="Room name"
          placeholder="Room name (optional)"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <input
          type="text"
          autoCapitalize="none"
          spellcheck={false}
          aria-label="Your nickname in the room"
          placeholder="Nickname"
          required
          value={nick}
          onInput={(e) => setNick(e.currentTarget.value)}
        />
        <fieldset class="create-room__kind">
          <legend>Who can join</legend>
          <label>
            <input type="radio" name="room-kind" checked={membersOnly} onChange={() => setMembersOnly(true)} /> Only people I
            invite
          </label>
          <label>
            <input type="radio" name="room-kind" checked={!membersOnly} onChange={() => setMembersOnly(false)} /> Anyone with the
            address
          </label>
        </fieldset>
        <label class="create-room__check">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} /> Keep the room's
          history on the server
        </label>
        <button type="submit" class="btn btn--primary" disabled={busy}>
          {busy ? "Creating…" : "Create"}
        </button>
        {problem ? (
          <p class="form-problem" role="alert" data-testid="create-problem">
            {problem}
          </p>
        ) : null}
        {notice ? (
          <p class="form-note" role="status">
            {notice}
          </p>
        ) : null}
      </form>
    </details>
  );
}
