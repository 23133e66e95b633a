/**
 * Which headers cross the upload route, both ways. Requests: an allow-list per method (XEP-0363 §4
 * lets a slot name `Authorization`, `Cookie` and `Expires` for the PUT; Prosody's http_file_share uses
 * `Authorization: Bearer`); nothing else of the client's (cookies of this host, forwarding claims,
 * hop-by-hop headers, RFC 9110 §7.6.1) is passed on. Responses: hop-by-hop headers and `Set-Cookie`
 * are dropped, and every answer is locked down, since it is served from this host's origin: a sandboxing
 * CSP, `nosniff`, and `Content-Disposition: attachment` for anything but images, audio and video a
 * browser shows without running code (never SVG or HTML inline).
 */
import { stripHopByHop } from "../http/headers";

const PUT_HEADERS = ["content-type", "content-length", "authorization", "expires"];
const GET_HEADERS = ["range", "if-range", "if-none-match", "if-modified-since", "accept"];

/** The request headers the upstream gets for `method` (PUT, GET or HEAD). */
export function upstreamRequestHeaders(method: string, incoming: Headers): Headers {
  const out = new Headers();
  for (const name of method === "PUT" ? PUT_HEADERS : GET_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) out.set(name, value);
  }
  return out;
}

/** Content types a browser may show inline from this origin (no script, no markup). */
const INLINE = /^(image\/(jpeg|png|gif|webp|avif)|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+|text\/plain)$/;

/** The CSP of every upload answer: nothing loads, nothing runs, nothing frames it. */
export const UPLOAD_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** The upstream's response headers, cleaned and locked down for serving from this host. */
export function clientResponseHeaders(upstream: Headers): Headers {
  const out = stripHopByHop(upstream);
  out.delete("set-cookie");
  out.delete("set-cookie2");
  out.delete("strict-transport-security");
  out.delete("alt-svc");
  out.set("Content-Security-Policy", UPLOAD_CSP);
  out.set("X-Content-Type-Options", "nosniff");
  out.set("Referrer-Policy", "no-referrer");
  out.set("Cross-Origin-Resource-Policy", "same-origin");
  const type = (out.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!INLINE.test(type)) {
    const given = out.get("content-disposition") ?? "";
    const filename = given.match(/;\s*(filename\*?=.*)$/i)?.[1];
    out.set("Content-Disposition", filename ? `attachment; ${filename}` : "attachment");
  }
  return out;
}
