/**
 * Proxy mode, the client's response from an origin's (Apache `ProxyPassReverse`): the origin's status and
 * headers, hop-by-hop ones dropped (RFC 9110 §7.6.1), `Location` / `Content-Location` / `URI` that point at
 * an origin rewritten to the public host, `Cache-Control: no-cache` added when the origin sent none; the
 * body streamed with its length (librtmp reads replies by length and refuses chunked ones).
 */
import type { Config } from "../../env";
import { HOP_BY_HOP, headerTokens, reverseRewrite } from "../../http/headers";
import { markRelayed } from "../../http/rejections";

/** `scheme://host:port` of each configured origin (what ProxyPassReverse rewrites), once per config. */
const originBases = new WeakMap<Config, string[]>();

function basesOf(config: Config): string[] {
  let bases = originBases.get(config);
  if (!bases) {
    bases = config.origins.map((o) => `${o.url.protocol}//${o.url.host}`);
    originBases.set(config, bases);
  }
  return bases;
}

const HOP = new Set<string>(HOP_BY_HOP);
/** Reply headers that may name an origin URL (what reverseRewrite rewrites). */
const REWRITTEN = new Set(["location", "content-location", "uri"]);

/**
 * The client's response: origin status and headers (hop-by-hop dropped, origin URLs rewritten), body
 * streamed. One pass over the headers the origin sent, as for the request's (upstream-headers.ts).
 */
export function relay(res: Response, publicOrigin: string, config: Config, body?: BodyInit): Response {
  // The origin's status, status text and headers, copied once into a response whose headers can change.
  const out = new Response(body ?? res.body, res);
  const headers = out.headers;
  const named = headerTokens(res.headers.get("connection"));
  let cacheControl = false;
  let rewrite = false;
  // The origin's body stream is passed through untouched: workerd keeps its length, so a reply that had a
  // Content-Length keeps it (librtmp reads replies by length and refuses chunked ones). Iterates the origin's
  // headers while deleting from the copy.
  for (const name of res.headers.keys()) {
    if (HOP.has(name) || named.includes(name) || name === "content-length") headers.delete(name);
    else if (name === "cache-control") cacheControl = true;
    else if (REWRITTEN.has(name)) rewrite = true;
  }
  if (rewrite) reverseRewrite(headers, basesOf(config), publicOrigin);
  if (!cacheControl) headers.set("cache-control", "no-cache");
  return markRelayed(out);
}
