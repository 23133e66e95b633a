/**
 * One roster row: avatar (initials without an image), presence (unless unknown: I am disconnected), name, status, address, unread count;
 * long names and details end in an ellipsis. Opens the chat.
 */
import type { Contact } from "../../model/roster/roster-proxy";
import { Avatar } from "../avatar/avatar";
import { PRESENCE_LABEL, PRESENCE_WORD } from "../presence";

interface Props {
  contact: Contact;
  presenceKnown: boolean;
  unread: number;
  active: boolean;
  /** Checked avatar image (data: URL), if any. */
  image: string | undefined;
  blocked: boolean;
  onOpen: (jid: string) => void;
}

export function ContactRow({ contact, presenceKnown, unread, active, image, blocked, onOpen }: Props) {
  const presence = PRESENCE_WORD[contact.availability];
  const detail = [
    presenceKnown ? PRESENCE_LABEL[presence] : "",
    presenceKnown ? contact.status : "",
    contact.name !== contact.jid ? contact.jid : "",
    contact.ask ? "request sent" : "",
    blocked ? "blocked" : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <button
      type="button"
      class={`contact${active ? " contact--active" : ""}`}
      aria-current={active ? "true" : undefined}
      data-jid={contact.jid}
      onClick={() => onOpen(contact.jid)}
    >
      <Avatar jid={contact.jid} name={contact.name} image={image} />
      <span class={`presence presence--${presenceKnown ? presence : "unknown"}`} aria-hidden="true" />
      <span class="contact__text">
        <span class="contact__name">{contact.name}</span>
        <span class="contact__detail">{detail}</span>
      </span>
      {unread > 0 ? (
        <span class="badge" data-testid="unread">
          {unread}
          <span class="visually-hidden"> unread</span>
        </span>
      ) : null}
    </button>
  );
}
