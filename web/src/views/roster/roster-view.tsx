/**
 * The roster view (seed: RosterPanel): requests, other conversations, add contact, filter, the
 * windowed contact list (my own presence is set from the app bar's menu). While I am disconnected the
 * contacts' presence is unknown, and says so instead of showing what it last was.
 */
import { useEffect, useRef } from "preact/hooks";
import type { Contact } from "../../model/roster/roster-proxy";
import { RoomsSection } from "../room/rooms-section";
import { AddContact } from "./add-contact";
import { ContactNotice } from "./contact-notice";
import { ContactRow } from "./contact-row";
import { OtherChats } from "./other-chats";
import { Requests } from "./requests";
import { useRosterMediator } from "./use-roster-mediator";
import { VirtualList } from "./virtual-list";
import "./roster.css";

export const ROW_HEIGHT = 56;

export function RosterView() {
  const m = useRosterMediator();
  const section = useRef<HTMLElement>(null);
  const lastActive = useRef<string | null>(null);
  // Leaving a chat puts the focus back on its contact (keyboard users keep their place).
  useEffect(() => {
    const left = lastActive.current;
    lastActive.current = m.active;
    if (left && !m.active) section.current?.querySelector<HTMLElement>(`[data-jid="${CSS.escape(left)}"]`)?.focus();
  }, [m.active]);
  return (
    <section ref={section} class="roster" aria-label="Contacts">
      {m.connected ? null : (
        <p class="roster__stale" data-testid="presence-unknown">
          Contacts' presence shows again once you are back online.
        </p>
      )}
      <ContactNotice />
      <Requests requests={m.requests} names={m.nicks} images={m.images} onApprove={m.approve} onDeny={m.deny} onBlock={m.block} />
      <RoomsSection />
      <OtherChats peers={m.others} names={m.otherNames} images={m.images} unread={m.unread} onOpen={m.open} />
      <AddContact problem={m.addProblem} onAdd={m.add} />
      <input
        type="search"
        class="roster__filter"
        aria-label="Filter contacts"
        placeholder={`Filter ${m.total} contact${m.total === 1 ? "" : "s"}`}
        value={m.filter.value}
        onInput={(e) => {
          m.filter.value = e.currentTarget.value;
        }}
      />
      {m.contacts.length ? (
        <VirtualList<Contact>
          items={m.contacts}
          rowHeight={ROW_HEIGHT}
          label="Contacts"
          keyOf={(c) => c.jid}
          renderRow={(c) => (
            <ContactRow
              contact={c}
              presenceKnown={m.connected}
              unread={m.unread.get(c.jid) ?? 0}
              active={m.active === c.jid}
              image={m.images.get(c.jid)}
              blocked={m.blocked.has(c.jid)}
              onOpen={m.open}
            />
          )}
        />
      ) : (
        <p class="roster__empty">{m.total ? "No contact matches." : "No contacts yet."}</p>
      )}
    </section>
  );
}
