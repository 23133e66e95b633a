/**
 * The build label of the PWA this worker serves, for /healthz: the one-line `/build.txt` that
 * `npm run build` writes into the assets (web/scripts/build-id-plugin.ts: VITE_BUILD_ID, or
 * "unlabelled"; the same label the page shows as `<html data-build>`). "unknown" when there are no
 * assets or no such file. Read once per isolate: an isolate serves one deployment.
 */

/** A label as the build writes it: printable ASCII without spaces, at most 64 characters. */
const LABEL = /^[\x21-\x7e]{1,64}$/;

const known = new WeakMap<Fetcher, string>();

export async function buildId(assets: Fetcher | undefined): Promise<string> {
  if (!assets) return "unknown";
  const seen = known.get(assets);
  if (seen !== undefined) return seen;
  try {
    const res = await assets.fetch("https://assets.invalid/build.txt");
    // A missing file is the single-page fallback (HTML), not a label.
    const text = (res.headers.get("content-type") ?? "").startsWith("text/plain") ? (await res.text()).trim() : "";
    if (!res.bodyUsed) await res.body?.cancel();
    const label = res.ok && LABEL.test(text) ? text : "unknown";
    known.set(assets, label);
    return label;
  } catch {
    return "unknown";
  }
}
