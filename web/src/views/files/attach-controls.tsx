/**
 * The composer's file buttons: pick a file, and take a photo with the camera (HTML Media Capture
 * `capture`). The server's size limit (XEP-0363 max-file-size) is in the buttons' names and titles
 * once known. Whether photos go in their original size is a setting (photo-setting.tsx).
 */
import { useEffect } from "preact/hooks";
import { formatSize } from "../../model/files/shared-file";
import { CameraIcon, PaperclipIcon } from "./icons";
import { useFilesMediator } from "./use-files-mediator";
import "./files.css";

export function AttachControls({ to }: { to: string }) {
  const m = useFilesMediator();
  useEffect(() => {
    void m.discover();
  }, [to]);
  const limit = m.maxSize ? ` (up to ${formatSize(m.maxSize)})` : "";
  const pick = (input: HTMLInputElement) => {
    for (const file of Array.from(input.files ?? [])) void m.attach(to, file);
    input.value = "";
  };
  return (
    <div class="attach" data-testid="attach">
      <label class="btn btn--quiet attach__btn" title={`Attach a file${limit}`}>
        <PaperclipIcon />
        <span class="visually-hidden">Attach a file{limit}</span>
        <input type="file" class="attach__input" multiple onChange={(e) => pick(e.currentTarget)} data-testid="attach-file" />
      </label>
      <label class="btn btn--quiet attach__btn" title={`Take a photo${limit}`}>
        <CameraIcon />
        <span class="visually-hidden">Take a photo{limit}</span>
        <input
          type="file"
          class="attach__input"
          accept="image/*"
          capture="environment"
          onChange={(e) => pick(e.currentTarget)}
          data-testid="attach-camera"
        />
      </label>
    </div>
  );
}
