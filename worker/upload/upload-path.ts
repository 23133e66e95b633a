/**
 * Path-only mapping of `/upload/<path>` onto the one configured upload service (`UPLOAD_URL`): only the
 * path after `/upload/` is taken from the client, checked segment by segment (RFC 3986 §3.3 pchar, no
 * dot segments, no encoded `/`, `\` or control characters), and appended to the configured base URL.
 * The client's host, query and fragment never reach the upstream, so this is never an open proxy.
 */

/** Public prefix of the upload service on this host. */
export const UPLOAD_PREFIX = "/upload/";

const MAX_PATH = 1024;
const MAX_SEGMENTS = 8;
const PCHAR = /^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/;

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The upstream URL for a public pathname, or a short reason why the path is refused. */
export function upstreamUrl(base: URL, pathname: string): { url: string } | { error: string } {
  if (pathname === UPLOAD_PREFIX.slice(0, -1)) return { error: "Missing file path after /upload/" };
  if (!pathname.startsWith(UPLOAD_PREFIX)) return { error: "Not an upload path" };
  const rest = pathname.slice(UPLOAD_PREFIX.length);
  if (rest.length === 0) return { error: "Missing file path after /upload/" };
  if (rest.length > MAX_PATH) return { error: "Upload path too long" };
  const segments = rest.split("/");
  if (segments.length > MAX_SEGMENTS) return { error: "Upload path has too many segments" };
  for (const segment of segments) {
    if (!PCHAR.test(segment)) return { error: "Bad upload path: empty segment or character not allowed" };
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { error: "Bad upload path: invalid percent-encoding" };
    }
    if (decoded === "." || decoded === ".." || /[/\\]/.test(decoded) || hasControl(decoded)) {
      return { error: "Bad upload path: dot segment, encoded slash or control character" };
    }
  }
  return { url: `${base.href}${rest}` };
}
