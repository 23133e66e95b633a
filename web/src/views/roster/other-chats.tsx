/** Conversations with people who are not contacts (they wrote first), with their unread counts. */
import { Avatar } from "../avatar/avatar";
import { displayName } from "../avatar/display-name";

interface Props {
  peers: readonly string[];
  names: ReadonlyMap<string, string>;
  images: ReadonlyMap<string, string>;
  unread: ReadonlyMap<string, number>;
  onOpen: (jid: string) => void;
}

export function OtherChats({ peers, names, images, unread, onOpen }: Props) {
  if (!peers.length) return null;
  return (
    <section class="requests" aria-labelledby="others-title">
      <h2 id="others-title">Other conversations</h2>
      <ul>
        {peers.map((jid) => (
          <li key={jid} class="request">
            <Avatar jid={jid} name={displayName(jid, undefined, names)} image={images.get(jid)} size={32} />
            <button type="button" class="btn btn--quiet request__jid" data-jid={jid} onClick={() => onOpen(jid)}>
              {displayName(jid, undefined, names)}
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
