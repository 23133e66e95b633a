/**
 * On a phone the open chat or room covers the list where invitations to rooms wait (invitations.tsx):
 * one arriving meanwhile (XEP-0249, XEP-0045 §7.8.2) is said over the open view, with a way back to
 * answer it. Wide screens show the list beside the view, so there it is hidden (room.css). Text only.
 */
import { useFacade } from "../../app/facade-context";
import "./room.css";

export function InvitationNotice() {
  const facade = useFacade();
  const pending = facade.model.invitations.pending.value;
  const newest = pending.at(-1);
  if (!newest) return null;
  const more = pending.length - 1;
  return (
    <p class="invitation-notice" role="status" data-testid="invitation-notice">
      <span class="invitation-notice__text">
        {newest.from.startsWith(`${newest.room}/`) ? newest.from.slice(newest.room.length + 1) : newest.from} invites you to{" "}
        {newest.room}
        {more ? ` (and ${more} more)` : ""}.
      </span>
      <button type="button" class="btn btn--quiet" onClick={() => facade.send("CLOSE_CHAT")}>
        Answer
      </button>
    </p>
  );
}
