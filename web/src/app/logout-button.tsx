/** "Log out", then a confirmation offering to also clear this device's history of the account. */
import { useEffect, useRef, useState } from "preact/hooks";

export function LogoutButton({ onLogout }: { onLogout: (clearHistory: boolean) => void }) {
  const [open, setOpen] = useState(false);
  const [clear, setClear] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const back = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (open) first.current?.focus();
    else if (opened.current) back.current?.focus();
    opened.current = open;
  }, [open]);
  if (!open)
    return (
      <button ref={back} type="button" class="btn btn--quiet menu__item" onClick={() => setOpen(true)}>
        Log out
      </button>
    );
  return (
    <fieldset class="logout">
      <legend class="visually-hidden">Log out</legend>
      <label class="logout__clear">
        <input ref={first} type="checkbox" checked={clear} onChange={(e) => setClear(e.currentTarget.checked)} />
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
