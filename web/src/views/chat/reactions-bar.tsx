/**
 * The reactions under a message (XEP-0444): one button per emoji with how many reacted and, in its
 * name and tooltip, who; pressing it adds or takes back mine. Mine are marked as pressed.
 */
import { ME } from "../../model/chats/amendments";
import type { ChatMessage } from "../../model/chats/chats-proxy";

export function ReactionsBar({
  m,
  nameOf,
  onReact,
}: {
  m: ChatMessage;
  /** A reactor's name for people ("You" for me). */
  nameOf: (who: string) => string;
  onReact: (emoji: string) => void;
}) {
  if (!m.reactions || m.retracted !== undefined) return null;
  const byEmoji = new Map<string, string[]>();
  for (const [who, set] of Object.entries(m.reactions))
    for (const e of set.emojis) byEmoji.set(e, [...(byEmoji.get(e) ?? []), who]);
  if (!byEmoji.size) return null;
  return (
    <ul class="msg__reactions" aria-label="Reactions">
      {[...byEmoji].map(([emoji, who]) => {
        const names = who.map(nameOf).join(", ");
        return (
          <li key={emoji}>
            <button
              type="button"
              class="reaction"
              aria-pressed={who.includes(ME)}
              aria-label={`${emoji} ${who.length}: ${names}`}
              title={names}
              onClick={() => onReact(emoji)}
            >
              <span aria-hidden="true">{emoji}</span> <span aria-hidden="true">{who.length}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
