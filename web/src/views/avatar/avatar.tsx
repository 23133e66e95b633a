/**
 * A person's avatar: their checked image (XEP-0084 / XEP-0153, model/avatars) or, without one, their
 * initials on a disc whose hue comes from the address (stable across devices and reloads). Decorative
 * (the name is always written beside it), so hidden from screen readers.
 */
import "./avatar.css";

interface Props {
  jid: string;
  name: string;
  image?: string | undefined;
  /** Diameter in px. */
  size?: number;
}

/** FNV-1a over the address: the same hue everywhere for the same person. */
export function hueOf(jid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < jid.length; i++) h = Math.imul(h ^ jid.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 360;
}

/** Up to two letters: the first of the first two words of the name, else of the address's local part. */
export function initialsOf(name: string, jid: string): string {
  const source = name && name !== jid ? name : (jid.split("@")[0] ?? jid);
  // Words start at a letter or digit: "bob (lobby@…)" is "BL", not "B(".
  const words = source
    .split(/[\s._-]+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+/u, ""))
    .filter(Boolean);
  const letters = words.slice(0, 2).map((w) => [...w][0] ?? "");
  return letters.join("").toLocaleUpperCase() || "?";
}

export function Avatar({ jid, name, image, size = 36 }: Props) {
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.42)}px` };
  if (image) return <img class="avatar" src={image} alt="" aria-hidden="true" style={style} data-avatar={jid} />;
  return (
    <span class="avatar avatar--initials" aria-hidden="true" style={{ ...style, background: `hsl(${hueOf(jid)} 50% 30%)` }}>
      {initialsOf(name, jid)}
    </span>
  );
}
