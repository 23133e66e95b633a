/** The app's name and version, shown in the shell. */
export const APP_NAME = "Porthole";
export const APP_VERSION = "0.1.0";

export function title(view: string): string {
  return view ? `${view} · ${APP_NAME}` : APP_NAME;
}
