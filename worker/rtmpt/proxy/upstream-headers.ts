/**
 * Proxy mode, the request headers an RTMPT origin gets: the client's, less every header that is not the
 * origin's to see (hop-by-hop, RFC 9110 §7.6.1; forwarding claims, replaced by the worker's own, RFC 7239;
 * Host and Content-Length, which fetch sets; path/method overrides; this host's credentials), plus the
 * worker's forwarding headers and `Accept-Encoding: identity`.
 */
import { addForwarded, FORWARDING, HOP_BY_HOP, headerTokens } from "../../http/headers";

/**
 * Headers some servers and frameworks (IIS URL Rewrite, Symfony, Rails, Express method-override) honour
 * to replace the request's path or method: a client must not reach another path or method on an origin
 * than the RTMPT POST the worker checked.
 */
const OVERRIDES = ["x-original-url", "x-rewrite-url", "x-http-method-override", "x-http-method", "x-method-override"];
/** Credentials of this host (the PWA's cookies, HTTP auth) are not the media origin's: never forwarded. */
const CREDENTIALS = ["cookie", "authorization"];

/**
 * Every client header the origin never gets as sent: hop-by-hop (RFC 9110 §7.6.1), forwarding claims
 * (the worker sets its own), Host and Content-Length (fetch sets them), overrides and credentials.
 */
const DROPPED = new Set<string>([...HOP_BY_HOP, ...FORWARDING, "host", "content-length", ...OVERRIDES, ...CREDENTIALS]);

/**
 * The request headers for the origin, in one pass over the client's (the headers it sent, not every
 * name that could be dropped: each Headers call crosses into the runtime), plus the worker's own.
 */
export function upstreamHeaders(request: Request, url: URL): Headers {
  const headers = new Headers(request.headers);
  const named = headerTokens(request.headers.get("connection"));
  // Iterates the client's headers while deleting from the copy.
  for (const name of request.headers.keys()) {
    if (DROPPED.has(name) || name.startsWith("cf-") || named.includes(name)) headers.delete(name);
  }
  addForwarded(headers, request, url);
  // No compression added on either leg: RTMPT bodies are opaque binary that librtmp reads by length.
  headers.set("accept-encoding", "identity");
  return headers;
}
