/** The name to show for a person: the roster name, else a name from `nicks` (a former roster name or their XEP-0172 nickname), else the address. */
export function displayName(jid: string, rosterName: string | undefined, nicks: ReadonlyMap<string, string>): string {
  if (rosterName && rosterName !== jid) return rosterName;
  return nicks.get(jid) ?? jid;
}

/** Names for people outside the roster: the name I gave them while they were in it wins over their nickname. */
export function withFormerNames(
  former: ReadonlyMap<string, string>,
  nicks: ReadonlyMap<string, string>,
): ReadonlyMap<string, string> {
  if (!former.size) return nicks;
  if (!nicks.size) return former;
  return new Map([...nicks, ...former]);
}
