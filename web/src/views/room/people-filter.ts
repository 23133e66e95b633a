/**
 * Which of a room's people the people list shows, by role (moderators first) then nickname: those whose
 * nickname contains what was typed (any case), at most `limit` of them, so a room of thousands costs the list what a room of a hundred does;
 * the rest are counted ("and 901 more"), found by typing. A filter field is offered from FILTER_FROM
 * people on.
 */
import type { Occupant } from "../../model/rooms/rooms-proxy";

export const SHOWN_PEOPLE = 100;
export const FILTER_FROM = 20;

const ROLE_ORDER = { moderator: 0, participant: 1, visitor: 2, none: 3 } as const;
const collator = new Intl.Collator();
const byRoleThenNick = (a: Occupant, b: Occupant) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || collator.compare(a.nick, b.nick);

export function visiblePeople(
  occupants: readonly Occupant[],
  query: string,
  limit = SHOWN_PEOPLE,
): { shown: Occupant[]; more: number } {
  const q = query.trim().toLowerCase();
  const shown: Occupant[] = [];
  let more = 0;
  for (const o of [...occupants].sort(byRoleThenNick)) {
    if (q && !o.nick.toLowerCase().includes(q)) continue;
    if (shown.length < limit) shown.push(o);
    else more++;
  }
  return { shown, more };
}
