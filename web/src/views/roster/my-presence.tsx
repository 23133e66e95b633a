/** Set my presence (online / away / do not disturb, named as in views/presence.ts), with an optional status text. */
import type { TargetedSubmitEvent } from "preact";
import { useState } from "preact/hooks";
import { MAX_STATUS } from "../../app/limits";
import type { MyShow } from "../../app/notifications";
import { MY_SHOW_WORD, PRESENCE_LABEL } from "../presence";

interface Props {
  show: MyShow;
  status: string;
  onSet: (show: MyShow, status: string) => void;
}

export function MyPresence({ show, status, onSet }: Props) {
  const [draftShow, setShow] = useState<MyShow>(show);
  const [draftStatus, setStatus] = useState(status);
  const onSubmit = (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSet(draftShow, draftStatus);
  };
  return (
    <form class="my-presence" onSubmit={onSubmit} aria-label="My presence">
      <select
        aria-label="My availability"
        value={draftShow}
        onChange={(e) => {
          const v = e.currentTarget.value as MyShow;
          setShow(v);
          onSet(v, draftStatus);
        }}
      >
        {(["available", "away", "dnd"] as const).map((v) => (
          <option key={v} value={v}>
            {PRESENCE_LABEL[MY_SHOW_WORD[v]]}
          </option>
        ))}
      </select>
      <input
        type="text"
        aria-label="Status message"
        placeholder="Status message"
        maxLength={MAX_STATUS}
        value={draftStatus}
        onInput={(e) => setStatus(e.currentTarget.value)}
      />
      <button type="submit" class="btn">
        Set
      </button>
    </form>
  );
}
