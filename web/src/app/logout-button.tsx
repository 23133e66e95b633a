/** "Log out", then a confirmation offering to also clear this device's history of the account. */
import { useState } from "preact/hooks";

export function LogoutButton({ onLogout }: { onLogout: (clearHistory: boolean) => void }) {
  const [open, setOpen] = useState(false);
  const [clear, setClear] = useState(false);
  if (!open)
    return (
      <button type="button" class="btn btn--quiet" onClick={() => setOpen(true)}>
        Log out
      </button>
    );
  return (
    <fieldset class="logout">
      <legend class="visually-hidden">Log out</legend>
      <label class="logout__clear">
        <input type="checkbox" checked={clear} onChange={(e) => setClear(e.currentTarget.checked)} />
        Also clear this device's history
      </label>
      <button type="button" class="btn btn--danger" onClick={() => onLogout(clear)}>
        Confirm log out
      </button>
      <button type="button" class="btn btn--quiet" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </fieldset>
  );
}
