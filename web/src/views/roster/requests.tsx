/** Pending subscription requests (RFC 6121 §3.1.2), each with Approve and Deny. */
interface Props {
  requests: readonly string[];
  onApprove: (jid: string) => void;
  onDeny: (jid: string) => void;
}

export function Requests({ requests, onApprove, onDeny }: Props) {
  if (!requests.length) return null;
  return (
    <section class="requests" aria-labelledby="requests-title">
      <h2 id="requests-title">Contact requests</h2>
      <ul>
        {requests.map((jid) => (
          <li key={jid} class="request" data-jid={jid}>
            <span class="request__jid">{jid}</span>
            <button type="button" class="btn btn--primary" onClick={() => onApprove(jid)} aria-label={`Approve ${jid}`}>
              Approve
            </button>
            <button type="button" class="btn" onClick={() => onDeny(jid)} aria-label={`Deny ${jid}`}>
              Deny
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
