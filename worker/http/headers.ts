/**
 * Header hygiene shared by every proxying route: hop-by-hop stripping (RFC 9110 §7.6.1) and the
 * forwarding headers the worker sets itself (RFC 7239 `Forwarded`, de-facto `X-Forwarded-*`),
 * never trusting what the client sent.
 */

/** Headers of the worker's own short plain-text answers (refusals and errors): never cached. */
export const PLAIN_TEXT = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } as const;

/** Hop-by-hop headers: meaningful only for one connection, never forwarded. */
export const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
] as const;

/** Client-supplied forwarding claims: dropped, then set by the worker from what it observed. */
export const FORWARDING = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-real-ip",
];

/** The comma-separated tokens of a header value (RFC 9110 §5.6.1), lower-cased. */
export function headerTokens(value: string | null | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** Returns a copy without hop-by-hop headers, including any named in `Connection`. */
export function stripHopByHop(input: Headers, keep: readonly string[] = []): Headers {
  const out = new Headers(input);
  for (const name of [...HOP_BY_HOP, ...headerTokens(input.get("connection"))]) {
    if (!keep.includes(name)) out.delete(name);
  }
  return out;
}

/** Replaces any client-sent forwarding headers with the worker's own view of the request. */
export function setForwarded(headers: Headers, request: Request): void {
  for (const name of FORWARDING) headers.delete(name);
  addForwarded(headers, request, new URL(request.url));
}

/** The worker's own forwarding headers, for `headers` that hold none of FORWARDING any more. */
export function addForwarded(headers: Headers, request: Request, url: URL): void {
  const proto = url.protocol.slice(0, -1);
  const host = url.host;
  const ip = request.headers.get("cf-connecting-ip") ?? "";
  const forHost = ip.includes(":") ? `"[${ip}]"` : ip;
  headers.set("forwarded", `${forHost ? `for=${forHost};` : ""}host="${host}";proto=${proto}`);
  if (ip) headers.set("x-forwarded-for", ip);
  headers.set("x-forwarded-proto", proto);
  headers.set("x-forwarded-host", host);
}

/** Response headers that name a URL the client should follow (Apache `ProxyPassReverse` rewrites these). */
const REVERSE_REWRITTEN = ["location", "content-location", "uri"];

/**
 * `ProxyPassReverse`: a `Location` / `Content-Location` / `URI` header pointing at one of `origins`
 * (`scheme://host:port`, no trailing slash) is rewritten to the same path on `publicOrigin`.
 */
export function reverseRewrite(headers: Headers, origins: readonly string[], publicOrigin: string): void {
  for (const name of REVERSE_REWRITTEN) {
    const value = headers.get(name);
    if (value === null) continue;
    for (const origin of origins) {
      const lower = value.toLowerCase();
      const o = origin.toLowerCase();
      if (lower === o || lower.startsWith(`${o}/`) || lower.startsWith(`${o}?`)) {
        headers.set(name, `${publicOrigin}${value.slice(origin.length)}`);
        break;
      }
    }
  }
}
