/**
 * A message's text as the chat shows it: "Message deleted" once retracted (XEP-0424), "Removed by a
 * moderator" (and why, as text) once a room moderated it (XEP-0425), an action line
 * for "/me" (XEP-0245: "* Bob waves"), and above it the quote of the message it answers (XEP-0461),
 * a button that scrolls to the original. Everything is text (linkify.tsx): nothing from a peer is markup.
 */
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { Linkified } from "./linkify";
import { meAction } from "./rich-actions";

/** The quote of a reply: the first line of the original, shortened. */
export function snippet(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

/** A /me message as it reads ("* Bob waves"), any other text as it is. */
const asAction = (body: string, author: string) => {
  const action = meAction(body);
  return action === null ? body : `* ${author} ${action}`;
};

export function RichBody({
  m,
  author,
  original,
  originalAuthor,
  onJump,
}: {
  m: ChatMessage;
  /** Who wrote it ("You" or the contact's name): the subject of a /me action. */
  author: string;
  /** The message it answers, when this device has it. */
  original: ChatMessage | undefined;
  originalAuthor: string;
  onJump: (id: string) => void;
}) {
  if (m.moderated)
    return (
      <p class="msg__body msg__body--gone" data-testid="moderated">
        {m.moderated.reason ? `Removed by a moderator: ${m.moderated.reason}` : "Removed by a moderator"}
      </p>
    );
  if (m.retracted !== undefined)
    return (
      <p class="msg__body msg__body--gone" data-testid="deleted">
        Message deleted
      </p>
    );
  const action = meAction(m.body);
  const quote = m.replyTo
    ? original
      ? original.retracted !== undefined
        ? original.moderated
          ? "Removed by a moderator"
          : "Message deleted"
        : snippet(asAction(original.body, originalAuthor))
      : snippet(m.replyTo.quote ?? "")
    : "";
  return (
    <>
      {m.replyTo ? (
        <button
          type="button"
          class="msg__quote"
          disabled={!original}
          onClick={() => m.replyTo && onJump(m.replyTo.id)}
          data-testid="quote"
        >
          <span class="visually-hidden">In reply to </span>
          <span class="msg__quote-who">{original ? originalAuthor : "Earlier message"}</span>
          <span class="msg__quote-text">{quote || "…"}</span>
        </button>
      ) : null}
      {action !== null ? (
        <p class="msg__body msg__body--action">
          * {author} <Linkified text={action} />
        </p>
      ) : (
        <p class="msg__body">
          <Linkified text={m.body} />
        </p>
      )}
    </>
  );
}
