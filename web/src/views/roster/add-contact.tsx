/** Add a contact: address and optional name; sends a subscription request. */
import type { TargetedSubmitEvent } from "preact";
import { useState } from "preact/hooks";

interface Props {
  problem: string | null;
  onAdd: (jid: string, name: string) => Promise<boolean>;
}

export function AddContact({ problem, onAdd }: Props) {
  const [jid, setJid] = useState("");
  const [name, setName] = useState("");
  const onSubmit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (await onAdd(jid, name)) {
      setJid("");
      setName("");
    }
  };
  return (
    <details class="add-contact">
      <summary>Add contact</summary>
      <form onSubmit={onSubmit} aria-label="Add contact">
        <input
          type="text"
          inputMode="email"
          autoCapitalize="none"
          spellcheck={false}
          aria-label="Contact address"
          placeholder="name@example.org"
          required
          value={jid}
          onInput={(e) => setJid(e.currentTarget.value)}
        />
        <input
          type="text"
          aria-label="Contact name"
          placeholder="Name (optional)"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" class="btn btn--primary">
          Add
        </button>
        {problem ? (
          <p class="form-problem" role="alert">
            {problem}
          </p>
        ) : null}
      </form>
    </details>
  );
}
