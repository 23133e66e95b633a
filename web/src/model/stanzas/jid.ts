/**
 * JID helpers (RFC 7622): bare/resource split and a light validity check for addresses typed by people.
 * Full PRECIS preparation is the server's job; this only rejects what can never be an address.
 */

export function bareJid(jid: string): string {
  const slash = jid.indexOf("/");
  return (slash < 0 ? jid : jid.slice(0, slash)).toLowerCase();
}

export function resourceOf(jid: string): string {
  const slash = jid.indexOf("/");
  return slash < 0 ? "" : jid.slice(slash + 1);
}

export function domainOf(jid: string): string {
  const bare = bareJid(jid);
  return bare.slice(bare.indexOf("@") + 1);
}

export function localOf(jid: string): string {
  const bare = bareJid(jid);
  const at = bare.indexOf("@");
  return at < 0 ? "" : bare.slice(0, at);
}

/** A user's bare address: `local@domain`, no spaces or forbidden characters, each part ≤ 1023 bytes. */
export function isBareJid(value: string): boolean {
  const m = /^([^@/\s"&'<>:]+)@([^@/\s"&'<>]+)$/.exec(value);
  if (!m?.[1] || !m[2]) return false;
  if (m[1].length > 1023 || m[2].length > 1023) return false;
  return /^[\p{L}\p{N}.-]+(:\d+)?$/u.test(m[2]) && !m[2].startsWith(".") && !m[2].endsWith(".");
}
