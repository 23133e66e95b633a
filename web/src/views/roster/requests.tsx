/** Pending subscription requests (RFC 6121 §3.1.2), each with Approve, Deny and Block (XEP-0191). */
import { Avatar } from "../avatar/avatar";
import { displayName } from "../avatar/display-name";

interface Props {
  requests: readonly string[];
  /** Nicknames they sent (XEP-0172). */
  names: ReadonlyMap<string, string>;
  images: ReadonlyMap<string, string>;
  onApprove: (jid: string) => void;
  onDeny: (jid: string) => void;
  onBlock: (jid: string) => void;
}

export function Requests({ requests, names, images, onApprove, onDeny, onBlock }: Props) {
  if (!requests.length) return null;
  return (
    <section class="requests" aria-labelledby="requests-title">
      <h2 id="requests-title">Contact requests</h2>
      <ul>
        {requests.map((jid) => {
          const name = displayName(jid, undefined, names);
          return (
            <li key={jid} class="request request--asking" data-jid={jid}>
              <Avatar jid={jid} name={name} image={images.get(jid)} size={32} />
              <span class="request__jid" title={jid}>
                {name === jid ? jid : `${name} (${jid})`}
              </span>
              <span class="request__actions">
                <button type="button" class="btn btn--primary" onClick={() => onApprove(jid)} aria-label={`Approve ${jid}`}>
                  Approve
                </button>
                <button type="button" class="btn" onClick={() => onDeny(jid)} aria-label={`Deny ${jid}`}>
                  Deny
                </button>
                <button type="button" class="btn" onClick={() => onBlock(jid)} aria-label={`Block ${jid}`}>
                  Block
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
