/**
 * The chat's menu: for a contact, Rename (roster name), Block or Unblock, Remove contact; for someone
 * who is not a contact, Block or Unblock and Delete conversation. Remove and Delete ask first; Rename
 * is a small form in the panel.
 */
import type { TargetedSubmitEvent } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { DisclosureMenu, MoreIcon } from "../disclosure-menu";

export interface ChatMenuProps {
  name: string;
  jid: string;
  inRoster: boolean;
  blocked: boolean;
  onRename: (name: string) => void;
  onBlock: () => void;
  onUnblock: () => void;
  onRemove: () => void;
  onDelete: () => void;
}

type Step = "list" | "rename" | "remove" | "delete";

function Confirm({ text, action, onConfirm, close }: { text: string; action: string; onConfirm: () => void; close: () => void }) {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <fieldset class="menu__section menu__fieldset">
      <legend class="visually-hidden">{action}</legend>
      <p class="menu__confirm">{text}</p>
      <div class="menu__actions">
        <button
          ref={confirm}
          type="button"
          class="btn btn--danger"
          onClick={() => {
            close();
            onConfirm();
          }}
        >
          Confirm {action.toLowerCase()}
        </button>
        <button type="button" class="btn" onClick={() => close()}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

function Rename({ name, jid, onRename, close }: { name: string; jid: string; onRename: (n: string) => void; close: () => void }) {
  const [value, setValue] = useState(name === jid ? "" : name);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const onSubmit = (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    close();
    onRename(value);
  };
  return (
    <form class="menu__section" onSubmit={onSubmit} aria-label="Rename contact">
      <label class="menu__label">
        Name for {jid}
        <input ref={input} type="text" maxLength={200} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      <div class="menu__actions">
        <button type="submit" class="btn btn--primary">
          Save name
        </button>
        <button type="button" class="btn" onClick={() => close()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Panel(props: ChatMenuProps & { close: () => void }) {
  const { name, jid, inRoster, blocked, close } = props;
  const [step, setStep] = useState<Step>("list");
  if (step === "rename") return <Rename name={name} jid={jid} onRename={props.onRename} close={close} />;
  if (step === "remove")
    return (
      <Confirm
        text={`Remove ${name} from your contacts? You stop sharing presence with each other.`}
        action="Remove"
        onConfirm={props.onRemove}
        close={close}
      />
    );
  if (step === "delete")
    return (
      <Confirm
        text={`Delete the conversation with ${name} from this device? The server's archive keeps its copy.`}
        action="Delete"
        onConfirm={props.onDelete}
        close={close}
      />
    );
  const item = (label: string, onClick: () => void) => (
    <li>
      <button type="button" class="btn btn--quiet menu__item" onClick={onClick}>
        {label}
      </button>
    </li>
  );
  return (
    <ul class="menu__list">
      {inRoster ? item("Rename", () => setStep("rename")) : null}
      {blocked
        ? item("Unblock", () => {
            close();
            props.onUnblock();
          })
        : item("Block", () => {
            close();
            props.onBlock();
          })}
      {inRoster ? item("Remove contact", () => setStep("remove")) : item("Delete conversation", () => setStep("delete"))}
    </ul>
  );
}

export function ChatMenu(props: ChatMenuProps) {
  return (
    <DisclosureMenu id="chat-menu" label="Chat options" icon={<MoreIcon />}>
      {(close) => <Panel {...props} close={close} />}
    </DisclosureMenu>
  );
}
