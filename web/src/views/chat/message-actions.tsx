/**
 * A message's menu (the "⋮" beside its time, reachable by touch and keyboard): reply, for my own messages
 * edit (the last one, XEP-0308) and delete (XEP-0424), for a room's moderators removing someone else's
 * (XEP-0425, with an optional reason), and react with one of a few emoji or any other.
 * The panel opens above the message, or below it when there is no room above in the log.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { DisclosureMenu, MoreIcon } from "../disclosure-menu";
import { QUICK_REACTIONS, type RichActions } from "./rich-actions";

export function MessageActions({ m, editable, actions }: { m: ChatMessage; editable: boolean; actions: RichActions }) {
  const mine = m.direction === "out";
  const sent = m.state !== "queued" && m.state !== "sending" && m.state !== "failed";
  if (m.retracted !== undefined) return null;
  return (
    <DisclosureMenu id={`msg-menu-${m.direction}-${m.id}`} label="Message options" icon={<MoreIcon />}>
      {(close) => <Panel m={m} mine={mine} sent={sent} editable={editable} actions={actions} close={close} />}
    </DisclosureMenu>
  );
}

function Panel({
  m,
  mine,
  sent,
  editable,
  actions,
  close,
}: {
  m: ChatMessage;
  mine: boolean;
  sent: boolean;
  editable: boolean;
  actions: RichActions;
  close: (refocus?: boolean) => void;
}) {
  const [other, setOther] = useState("");
  const [removing, setRemoving] = useState(false);
  const [reason, setReason] = useState("");
  const root = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const panel = root.current?.parentElement;
    const log = panel?.closest('[role="log"]');
    if (!panel || !log) return;
    if (panel.getBoundingClientRect().top < log.getBoundingClientRect().top) panel.classList.add("menu__panel--below");
  }, []);
  const react = (e: string) => {
    actions.react(m, e);
    close();
  };
  const item = (label: string, onClick: () => void) => (
    <li>
      <button type="button" class="btn btn--quiet menu__item" onClick={onClick}>
        {label}
      </button>
    </li>
  );
  return (
    <div ref={root} class="msg-actions">
      <ul class="menu__list">
        {item("Reply", () => {
          close(false);
          actions.reply(m);
        })}
        {mine && editable && sent
          ? item("Edit", () => {
              close(false);
              actions.edit(m);
            })
          : null}
        {mine && sent
          ? item("Delete for everyone", () => {
              close();
              actions.retract(m);
            })
          : null}
        {!mine && !removing && actions.canModerate?.(m) ? item("Remove as moderator…", () => setRemoving(true)) : null}
      </ul>
      {removing ? (
        <form
          class="menu__section menu__actions"
          onSubmit={(ev) => {
            ev.preventDefault();
            close();
            actions.moderate?.(m, reason);
          }}
        >
          <input
            aria-label="Reason for removing (optional)"
            placeholder="Reason (optional)"
            class="reaction-picker__other"
            maxLength={500}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <button type="submit" class="btn">
            Remove
          </button>
        </form>
      ) : null}
      {sent ? (
        <fieldset class="menu__section menu__fieldset">
          <legend class="visually-hidden">React</legend>
          <div class="menu__actions reaction-picker">
            {QUICK_REACTIONS.map((e) => (
              <button
                key={e}
                type="button"
                class="btn btn--quiet reaction-picker__emoji"
                aria-label={`React ${e}`}
                onClick={() => react(e)}
              >
                {e}
              </button>
            ))}
          </div>
          <form
            class="menu__actions"
            onSubmit={(ev) => {
              ev.preventDefault();
              if (other.trim()) react(other.trim());
            }}
          >
            <input
              aria-label="Other emoji"
              class="reaction-picker__other"
              maxLength={32}
              value={other}
              onInput={(e) => setOther(e.currentTarget.value)}
            />
            <button type="submit" class="btn">
              React
            </button>
          </form>
        </fieldset>
      ) : null}
    </div>
  );
}
