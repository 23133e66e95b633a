/** The name to show for a person: the roster name, else their nickname (XEP-0172), else the address. */
export function displayName(jid: string, rosterName: string | undefined, nicks: ReadonlyMap<string, string>): string {
  if (rosterName && rosterName !== jid) return rosterName;
  return nicks.get(jid) ?? jid;
}
