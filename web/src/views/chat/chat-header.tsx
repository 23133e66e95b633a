/**
 * The chat view's header: back (phones), the contact's presence and name (ending in an ellipsis when
 * long), then "Add to contacts" for a stranger, or the chat's menu whose "Remove contact" asks for
 * confirmation first. Presence is left out while I am disconnected (it is not known then).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Availability } from "../../model/stanzas/stanzas";
import { DisclosureMenu, MoreIcon } from "../disclosure-menu";
import { PRESENCE_LABEL, PRESENCE_WORD } from "../presence";
import "./chat-header.css";

interface Props {
  name: string;
  jid: string;
  availability: Availability;
  presenceKnown: boolean;
  inRoster: boolean;
  onBack: () => void;
  onAdd: () => void;
  onRemove: () => void;
}

function RemoveContact({ name, onRemove, close }: { name: string; onRemove: () => void; close: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);
  if (!confirming)
    return (
      <ul class="menu__list">
        <li>
          <button type="button" class="btn btn--quiet menu__item" onClick={() => setConfirming(true)}>
            Remove contact
          </button>
        </li>
      </ul>
    );
  return (
    <fieldset class="menu__section menu__fieldset">
      <legend class="visually-hidden">Remove contact</legend>
      <p class="menu__confirm">Remove {name} from your contacts? You stop sharing presence with each other.</p>
      <div class="menu__actions">
        <button ref={confirm} type="button" class="btn btn--danger" onClick={onRemove}>
          Confirm remove
        </button>
        <button type="button" class="btn" onClick={close}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

export function ChatHeader({ name, jid, availability, presenceKnown, inRoster, onBack, onAdd, onRemove }: Props) {
  const presence = PRESENCE_WORD[availability];
  return (
    <header class="chat__head">
      <button type="button" class="btn btn--quiet chat__back" onClick={onBack} aria-label="Back to contacts">
        ←
      </button>
      <h2 class="chat__title" title={name === jid ? jid : `${name} (${jid})`}>
        <span class={`presence presence--${presenceKnown ? presence : "unknown"}`} aria-hidden="true" />
        <span class="chat__name">{name}</span>
        {presenceKnown ? <span class="visually-hidden"> ({PRESENCE_LABEL[presence]})</span> : null}
      </h2>
      {inRoster ? (
        <DisclosureMenu id="chat-menu" label="Chat options" icon={<MoreIcon />}>
          {(close) => <RemoveContact name={name} onRemove={onRemove} close={close} />}
        </DisclosureMenu>
      ) : (
        <button type="button" class="btn btn--quiet" onClick={onAdd}>
          Add to contacts
        </button>
      )}
    </header>
  );
}
