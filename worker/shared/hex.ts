/** Bytes as lowercase hexadecimal, two digits each (session ids, MAC tags, byte values in messages). */
export function toHex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
