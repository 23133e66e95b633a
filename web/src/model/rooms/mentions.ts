/**
 * Whether a room message mentions a nickname: the nickname as a whole word, in any case (as
 * Conversations and Converse.js highlight it: "alice:", "@alice", "hi Alice!" but not "malice").
 */
export function mentions(body: string, nick: string): boolean {
  if (!nick) return false;
  const text = body.toLowerCase();
  const name = nick.toLowerCase();
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    const before = text[i - 1];
    const after = text[i + name.length];
    if (!isWordChar(before) && !isWordChar(after)) return true;
  }
  return false;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_]/u.test(c);
}
