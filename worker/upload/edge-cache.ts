/**
 * Downloads of uploaded files cached at the edge (the Workers Cache API, `caches.default`), as far as
 * the upload service allows (RFC 9111 §3 and §5.2.2): only a full `200` answer to a GET is stored, and
 * only when its `Cache-Control` says `public`, `max-age` or `s-maxage` (above zero) without
 * `private`, `no-store` or `no-cache`, has no `Vary: *`, sets no cookie and declares a length of at
 * most EDGE_CACHE_MAX_BYTES: the body is teed to the client and the cache, and a branch read slower
 * than the other is held in memory, so the cap bounds what a slow client can make the isolate hold. Prosody 0.12's
 * mod_http_file_share answers `max-age=31556952, immutable`; ejabberd's mod_http_upload sends no
 * Cache-Control unless its `custom_headers` add one, so its files are not cached.
 *
 * What is served from the cache: a GET (a `Range` one as the Cache API cuts it from the stored full body,
 * RFC 9110 §14) and a HEAD (the stored headers). A request with a conditional header, PUTs, errors,
 * partial answers and anything the cache does not hold go to the upstream. The key is the public URL
 * of the file on this host (path only; the route never forwards a query).
 */

/** The cache key of a file: this host's URL of it, without query or fragment. */
export function cacheKey(publicUrl: URL): Request {
  return new Request(`${publicUrl.origin}${publicUrl.pathname}`, { method: "GET" });
}

/** Largest file stored (bytes, its Content-Length); bigger ones always stream from the upstream. */
export const EDGE_CACHE_MAX_BYTES = 25_000_000;

const CONDITIONAL = ["if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range"];

/** Whether this client request may be answered from the cache (GET or HEAD, no conditional header). */
export function servableFromCache(method: string, headers: Headers): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  return !CONDITIONAL.some((name) => headers.has(name));
}

/** Whether an upstream answer to a GET may be stored (see the module comment for the rule). */
export function storable(status: number, headers: Headers): boolean {
  if (status !== 200 || headers.has("content-range") || headers.has("set-cookie")) return false;
  const length = headers.get("content-length");
  if (length === null || !/^\d{1,15}$/.test(length) || Number(length) > EDGE_CACHE_MAX_BYTES) return false;
  if ((headers.get("vary") ?? "").split(",").some((v) => v.trim() === "*")) return false;
  const directives = (headers.get("cache-control") ?? "")
    .toLowerCase()
    .split(",")
    .map((d) => d.trim());
  if (directives.some((d) => /^(private|no-store|no-cache)(=|$)/.test(d))) return false;
  return directives.some((d) => d === "public" || /^(s-maxage|max-age)=0*[1-9]\d*$/.test(d));
}

/** The cached answer for this request (Range applied by the cache), or null on a miss. */
export async function fromCache(cache: Cache, key: Request, method: string, range: string | null): Promise<Response | null> {
  const lookup = range ? new Request(key, { headers: { range } }) : key;
  const hit = await cache.match(lookup);
  if (!hit) return null;
  if (method === "HEAD") {
    await hit.body?.cancel();
    return new Response(null, { status: hit.status, headers: hit.headers });
  }
  return hit;
}
