/**
 * The people in a room, grouped by role (XEP-0045 §4.1), each with their affiliation (owner, admin,
 * member: §5.2) and, for whoever may, the actions on them: a private message (§7.5), kick (§8.2,
 * moderators) and ban (§9.1, owners and admins), each asking for a reason and a confirmation first.
 * Nicknames are text, never markup.
 */
import type { TargetedSubmitEvent } from "preact";
import { useState } from "preact/hooks";
import type { Occupant } from "../../model/rooms/rooms-proxy";
import { FILTER_FROM, visiblePeople } from "./people-filter";
import type { AdminCommand } from "./use-room-admin-mediator";

const ROLE_WORD = { moderator: "Moderators", participant: "Participants", visitor: "Visitors", none: "Others" } as const;
const AFFILIATION_WORD = { owner: "owner", admin: "admin", member: "member", outcast: "banned", none: "" } as const;

interface Props {
  occupants: readonly Occupant[];
  me: string;
  canKick: boolean;
  canBan: boolean;
  problem: { command: AdminCommand; message: string } | null;
  onMessage: (nick: string) => void;
  onKick: (nick: string, reason: string) => Promise<boolean>;
  onBan: (nick: string, reason: string) => Promise<boolean>;
}

type Pending = { nick: string; action: "kick" | "ban" };

export function RoomPeople({ occupants, me, canKick, canBan, problem, onMessage, onKick, onBan }: Props) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [query, setQuery] = useState("");
  const { shown, more } = visiblePeople(occupants, query);
  const groups = new Map<Occupant["role"], Occupant[]>();
  for (const o of shown) {
    const group = groups.get(o.role);
    if (group) group.push(o);
    else groups.set(o.role, [o]);
  }
  return (
    <section id="room-people" class="room__people" aria-label="People in this room">
      {occupants.length >= FILTER_FROM ? (
        <input
          type="search"
          class="room__people-filter"
          aria-label="Filter people"
          placeholder={`Filter ${occupants.length} people`}
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      ) : null}
      {[...groups].map(([role, people]) => (
        <div key={role}>
          <h3>{ROLE_WORD[role]}</h3>
          <ul>
            {people.map((o) => (
              <li key={o.nick} class="occupant" data-nick={o.nick}>
                <span class="occupant__nick">
                  {o.nick}
                  {o.nick === me ? " (you)" : ""}
                </span>
                {AFFILIATION_WORD[o.affiliation] ? (
                  <span class="occupant__affiliation">{AFFILIATION_WORD[o.affiliation]}</span>
                ) : null}
                {o.nick !== me ? (
                  <span class="occupant__actions">
                    <button
                      type="button"
                      class="btn btn--quiet"
                      onClick={() => onMessage(o.nick)}
                      aria-label={`Private message to ${o.nick}`}
                    >
                      Message
                    </button>
                    {canKick ? (
                      <button
                        type="button"
                        class="btn btn--quiet"
                        onClick={() => setPending({ nick: o.nick, action: "kick" })}
                        aria-label={`Remove ${o.nick}`}
                      >
                        Remove
                      </button>
                    ) : null}
                    {canBan ? (
                      <button
                        type="button"
                        class="btn btn--quiet"
                        onClick={() => setPending({ nick: o.nick, action: "ban" })}
                        aria-label={`Ban ${o.nick}`}
                      >
                        Ban
                      </button>
                    ) : null}
                  </span>
                ) : null}
                {pending?.nick === o.nick ? (
                  <Confirm
                    pending={pending}
                    problem={
                      problem?.command === (pending.action === "kick" ? "KICK_OCCUPANT" : "BAN_OCCUPANT") ? problem.message : null
                    }
                    onConfirm={(reason) => (pending.action === "kick" ? onKick : onBan)(o.nick, reason)}
                    onClose={() => setPending(null)}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
      {more > 0 ? (
        <p class="room__people-more">and {more} more: type a name to find them</p>
      ) : query && shown.length === 0 ? (
        <p class="room__people-more">Nobody here is called that.</p>
      ) : null}
    </section>
  );
}

function Confirm({
  pending,
  problem,
  onConfirm,
  onClose,
}: {
  pending: Pending;
  problem: string | null;
  onConfirm: (reason: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const question =
    pending.action === "kick"
      ? `Remove ${pending.nick} from the room? They can come back.`
      : `Ban ${pending.nick}? They will not be able to come back.`;
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    const ok = await onConfirm(reason);
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <form class="room-admin occupant__confirm" aria-label={question} onSubmit={submit}>
      <p class="room-admin__title">{question}</p>
      <input
        type="text"
        aria-label="Reason (optional)"
        placeholder="Reason (optional)"
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      <div class="room-admin__actions">
        <button type="submit" class="btn btn--danger" disabled={busy}>
          {pending.action === "kick" ? "Remove" : "Ban"}
        </button>
        <button type="button" class="btn btn--quiet" onClick={onClose}>
          Cancel
        </button>
      </div>
      {problem ? (
        <p class="form-problem" role="alert" data-testid="moderation-problem">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
