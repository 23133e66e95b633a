/**
 * Invitations to rooms waiting for an answer (XEP-0249 direct, XEP-0045 §7.8.2 mediated): who
 * invites, to which room, their message, and Join (with a nickname) or Decline. Names and messages
 * are text, never markup.
 */
import { useState } from "preact/hooks";
import type { Invitation } from "../../model/stanzas/invitations";

interface Props {
  invitations: readonly Invitation[];
  suggestedNick: string;
  onAccept: (room: string, nick: string) => void;
  onDecline: (room: string) => void;
}

export function Invitations({ invitations, suggestedNick, onAccept, onDecline }: Props) {
  if (!invitations.length) return null;
  return (
    <section class="requests invitations" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <ul>
        {invitations.map((i) => (
          <InvitationRow key={i.room} invitation={i} suggestedNick={suggestedNick} onAccept={onAccept} onDecline={onDecline} />
        ))}
      </ul>
    </section>
  );
}

function InvitationRow({
  invitation,
  suggestedNick,
  onAccept,
  onDecline,
}: {
  invitation: Invitation;
  suggestedNick: string;
  onAccept: (room: string, nick: string) => void;
  onDecline: (room: string) => void;
}) {
  const [nick, setNick] = useState(suggestedNick);
  return (
    <li class="invitation" data-room={invitation.room}>
      <p class="invitation__text">
        <strong>{inviterName(invitation)}</strong> invites you to <strong>{invitation.room}</strong>
        {invitation.reason ? `: “${invitation.reason}”` : "."}
      </p>
      <form
        class="invitation__actions"
        aria-label={`Answer the invitation to ${invitation.room}`}
        onSubmit={(e) => {
          e.preventDefault();
          onAccept(invitation.room, nick);
        }}
      >
        <input
          type="text"
          autoCapitalize="none"
          spellcheck={false}
          aria-label="Your nickname in the room"
          required
          value={nick}
          onInput={(e) => setNick(e.currentTarget.value)}
        />
        <button type="submit" class="btn btn--primary">
          Join
        </button>
        <button type="button" class="btn btn--quiet" onClick={() => onDecline(invitation.room)}>
          Decline
        </button>
      </form>
    </li>
  );
}

/** The inviter: their address, or their nickname when the room gave only their occupant JID. */
function inviterName(i: Invitation): string {
  return i.from.startsWith(`${i.room}/`) ? `${i.from.slice(i.room.length + 1)} (in the room)` : i.from;
}
