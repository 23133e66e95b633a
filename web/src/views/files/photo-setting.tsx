/**
 * The setting "Send photos in original size" (in Settings → Messages): off by default, so photos are
 * resized to at most 1920 px and leave without their metadata (EXIF location included), as
 * Conversations does; on, they go exactly as picked. Kept on this device.
 */
import { useFacade } from "../../app/facade-context";

export function PhotoSetting() {
  const { files } = useFacade().model;
  const on = files.original.value;
  return (
    <>
      <label class="settings__check">
        <input type="checkbox" checked={on} onChange={(e) => files.setOriginal(e.currentTarget.checked)} />
        Send photos in original size
      </label>
      <p class="hint">
        {on
          ? "Photos go as they are, with their metadata (such as where they were taken)."
          : "Photos are made smaller (at most 1920 pixels) and lose their metadata, such as where they were taken."}
      </p>
    </>
  );
}
