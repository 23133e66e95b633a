/**
 * The chat view's header: back (phones), the contact's avatar, presence and name (ending in an
 * ellipsis when long), "Add to contacts" for a stranger, and the chat's menu (chat-menu.tsx).
 * Presence is left out while I am disconnected (it is not known then).
 */
import type { Availability } from "../../model/stanzas/stanzas";
import { Avatar } from "../avatar/avatar";
import { PRESENCE_LABEL, PRESENCE_WORD } from "../presence";
import { ChatMenu, type ChatMenuProps } from "./chat-menu";
import "./chat-header.css";

interface Props extends ChatMenuProps {
  availability: Availability;
  presenceKnown: boolean;
  image: string | undefined;
  onBack: () => void;
  onAdd: () => void;
  /** A private conversation with a room occupant: not someone to add to the contacts. */
  isPrivate?: boolean;
}

export function ChatHeader(props: Props) {
  const { name, jid, availability, presenceKnown, inRoster, image, onBack, onAdd, isPrivate } = props;
  const presence = PRESENCE_WORD[availability];
  return (
    <header class="chat__head">
      <button type="button" class="btn btn--quiet chat__back" onClick={onBack} aria-label="Back to contacts">
        ←
      </button>
      <Avatar jid={jid} name={name} image={image} size={32} />
      <h2 class="chat__title" title={name === jid ? jid : `${name} (${jid})`}>
        <span class={`presence presence--${presenceKnown ? presence : "unknown"}`} aria-hidden="true" />
        <span class="chat__name">{name}</span>
        {presenceKnown ? <span class="visually-hidden"> ({PRESENCE_LABEL[presence]})</span> : null}
      </h2>
      {inRoster || isPrivate ? null : (
        <button type="button" class="btn btn--quiet" onClick={onAdd}>
          Add to contacts
        </button>
      )}
      <ChatMenu {...props} />
    </header>
  );
}
