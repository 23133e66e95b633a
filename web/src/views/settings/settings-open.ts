/** Whether the settings view is showing (in place of the chat pane; alone on phones). */
import { signal } from "@preact/signals";

export const settingsOpen = signal(false);
