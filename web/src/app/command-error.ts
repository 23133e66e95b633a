/**
 * The sentence a user is told when a use case fails. Errors the app raises are already sentences;
 * a chunk of the app that could not be fetched (offline before the service worker holds it, a deploy
 * that replaced it) comes as the browser's own message, which names a URL: it is said plainly instead.
 * The browsers' wordings: Chromium "Failed to fetch dynamically imported module", Firefox "error
 * loading dynamically imported module", Safari "Importing a module script failed".
 */
export const CHUNK_UNAVAILABLE = "Part of the app could not be loaded. Check the connection; it is tried again on the next step.";

const CHUNK_FAILURE = /dynamically imported module|importing a module script failed/i;

export function commandErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return CHUNK_FAILURE.test(message) ? CHUNK_UNAVAILABLE : message;
}
