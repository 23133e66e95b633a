/**
 * Settings about how others see me and whom I hear from: my avatar (picked, resized here, published
 * by SET_MY_AVATAR) and the addresses I block (XEP-0191), each with Unblock.
 */
import { useState } from "preact/hooks";
import { Avatar } from "../avatar/avatar";
import { avatarFromFile } from "./avatar-image";

interface Props {
  address: string;
  image: string | undefined;
  blocked: readonly string[];
  onAvatar: (pick: Awaited<ReturnType<typeof avatarFromFile>>) => Promise<boolean>;
  onUnblock: (jid: string) => void;
}

export function AccountSettings({ address, image, blocked, onAvatar, onUnblock }: Props) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onPick = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setProblem(null);
    setBusy(true);
    try {
      const ok = await onAvatar(await avatarFromFile(file));
      if (!ok) setProblem("Your server did not take the avatar.");
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      input.value = "";
    }
  };
  return (
    <>
      <section class="settings__group" aria-labelledby="settings-avatar">
        <h3 id="settings-avatar">Your avatar</h3>
        <div class="settings__avatar">
          <Avatar jid={address} name={address} image={image} size={64} />
          <label class="btn settings__pick">
            {busy ? "Publishing…" : image ? "Change avatar" : "Choose an image"}
            <input
              type="file"
              accept="image/png,image/jpeg,image/webp,image/gif"
              class="visually-hidden"
              data-testid="avatar-file"
              disabled={busy}
              onChange={(e) => void onPick(e.currentTarget)}
            />
          </label>
        </div>
        <p class="hint">Contacts see it in their apps. It is cropped to a square of at most 192 pixels.</p>
        {problem ? (
          <p class="form-problem" role="alert">
            {problem}
          </p>
        ) : null}
      </section>
      <section class="settings__group" aria-labelledby="settings-blocked">
        <h3 id="settings-blocked">Blocked addresses</h3>
        {blocked.length ? (
          <ul class="settings__blocked">
            {blocked.map((jid) => (
              <li key={jid} data-jid={jid}>
                <span class="settings__blocked-jid">{jid}</span>
                <button type="button" class="btn" onClick={() => onUnblock(jid)} aria-label={`Unblock ${jid}`}>
                  Unblock
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="hint">You block nobody. Block someone from their chat's menu or their contact request.</p>
        )}
      </section>
    </>
  );
}
