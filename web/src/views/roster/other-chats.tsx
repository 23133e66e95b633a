/** Conversations with people who are not contacts (they wrote first), with their unread counts. */
interface Props {
  peers: readonly string[];
  unread: ReadonlyMap<string, number>;
  onOpen: (jid: string) => void;
}

export function OtherChats({ peers, unread, onOpen }: Props) {
  if (!peers.length) return null;
  return (
    <section class="requests" aria-labelledby="others-title">
      <h2 id="others-title">Other conversations</h2>
      <ul>
        {peers.map((jid) => (
          <li key={jid} class="request">
            <button type="button" class="btn btn--quiet request__jid" data-jid={jid} onClick={() => onOpen(jid)}>
              {jid}
            </button>
            {unread.get(jid) ? (
              <span class="badge">
                {unread.get(jid)}
                <span class="visually-hidden"> unread</span>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
