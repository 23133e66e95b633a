/**
 * One of a room's administration forms, opened from the room menu: my nickname (XEP-0045 §7.6), the
 * subject (§8.1), the room's name (§10.2, owners) or an invitation to a contact (XEP-0249). A refusal
 * is said under the form (role="alert") and the form keeps what was typed; success closes it.
 */
import type { TargetedSubmitEvent } from "preact";
import { useState } from "preact/hooks";
import type { AdminCommand } from "./use-room-admin-mediator";

export type AdminForm = "nick" | "subject" | "rename" | "invite";

const FORMS: Record<AdminForm, { title: string; label: string; submit: string; command: AdminCommand }> = {
  nick: { title: "Change your nickname", label: "New nickname", submit: "Change", command: "CHANGE_NICK" },
  subject: { title: "Change the subject", label: "Subject", submit: "Set subject", command: "SET_SUBJECT" },
  rename: { title: "Rename the room", label: "Room name", submit: "Rename", command: "RENAME_ROOM" },
  invite: { title: "Invite a contact", label: "Contact's address", submit: "Invite", command: "INVITE_CONTACT" },
};

interface Props {
  form: AdminForm;
  initial: string;
  problem: { command: AdminCommand; message: string } | null;
  onSubmit: (value: string, reason: string) => Promise<boolean>;
  onClose: () => void;
}

export function RoomAdminForm({ form, initial, problem, onSubmit, onClose }: Props) {
  const f = FORMS[form];
  const [value, setValue] = useState(initial);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    const ok = await onSubmit(value, reason);
    setBusy(false);
    if (ok) onClose();
  };
  const said = problem?.command === f.command ? problem.message : null;
  return (
    <form
      class="room-admin"
      aria-label={f.title}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <h3 class="room-admin__title">{f.title}</h3>
      <input
        type="text"
        inputMode={form === "invite" ? "email" : undefined}
        autoCapitalize="none"
        spellcheck={false}
        aria-label={f.label}
        placeholder={form === "invite" ? "name@example.org" : f.label}
        required={form !== "subject"}
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
      />
      {form === "invite" ? (
        <input
          type="text"
          aria-label="Message with the invitation"
          placeholder="Message (optional)"
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      ) : null}
      <div class="room-admin__actions">
        <button type="submit" class="btn btn--primary" disabled={busy}>
          {f.submit}
        </button>
        <button type="button" class="btn btn--quiet" onClick={onClose}>
          Cancel
        </button>
      </div>
      {said ? (
        <p class="form-problem" role="alert" data-testid="room-admin-problem">
          {said}
        </p>
      ) : null}
    </form>
  );
}
