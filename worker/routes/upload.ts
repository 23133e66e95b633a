/**
 * HTTP File Upload through this host (XEP-0363): `/upload/<path>` is forwarded to the one configured
 * upload service, `UPLOAD_URL` + `<path>` (Prosody 0.12's mod_http_file_share with `http_external_url`
 * on this host, `<slot>/<name>`; ejabberd's mod_http_upload with `put_url`/`get_url` on this host's
 * `/upload`, `<sha1>/<random>/<name>`), so the slot's PUT and GET URLs are same-origin for the PWA's
 * strict CSP and a firewall sees only this host.
 *
 * Only PUT (the upload), GET and HEAD (downloads, Range passed through); anything else 405. PUT bodies
 * stream through with their exact `Content-Length` (required: 411 without, 413 above
 * `UPLOAD_MAX_BODY`), never buffered. Paths are mapped by upload/upload-path.ts (400 when refused),
 * headers by upload/upload-headers.ts; GET and HEAD are answered from the edge cache when the upstream
 * allowed storing the file (upload/edge-cache.ts). Answers: the upstream's status (relayed, not logged as a
 * rejection), 404 when uploads are off, 502 when the service is unreachable, 504 when a download's
 * answer does not start within the timeout.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app";
import { PLAIN_TEXT, setForwarded } from "../http/headers";
import { markRelayed } from "../http/rejections";
import { bounded, TIMED_OUT } from "../shared/bounded";
import { logEvent } from "../shared/log";
import { cacheKey, fromCache, servableFromCache, storable } from "../upload/edge-cache";
import { clientResponseHeaders, upstreamRequestHeaders } from "../upload/upload-headers";
import { UPLOAD_PREFIX, upstreamUrl } from "../upload/upload-path";

export const upload = new Hono<AppEnv>();

/** Longest wait for the start of a download's answer (uploads wait for the whole body to be sent). */
export const DOWNLOAD_TIMEOUT_MS = 10_000;

const METHODS = ["GET", "HEAD", "PUT"];

const serve = async (c: Context<AppEnv>) => {
  const url = new URL(c.req.url);
  const config = c.get("config");
  const base = config.uploadUrl;
  if (!base) return c.text("File upload is not enabled on this host\n", 404, PLAIN_TEXT);

  const method = c.req.method;
  if (!METHODS.includes(method)) {
    return c.text("Method not allowed: the upload path takes PUT, GET and HEAD\n", 405, {
      ...PLAIN_TEXT,
      Allow: METHODS.join(", "),
    });
  }
  const target = upstreamUrl(base, url.pathname);
  if ("error" in target) return c.text(`${target.error}\n`, 400, PLAIN_TEXT);

  const key = cacheKey(url);
  const range = c.req.header("range") ?? null;
  if (servableFromCache(method, c.req.raw.headers)) {
    const hit = await fromCache(caches.default, key, method, range);
    if (hit) return markRelayed(hit);
  }

  const headers = upstreamRequestHeaders(method, c.req.raw.headers);
  setForwarded(headers, c.req.raw);
  let body: ReadableStream<Uint8Array> | null = null;
  if (method === "PUT") {
    const declared = c.req.header("content-length");
    if (declared === undefined) {
      await c.req.raw.body?.cancel();
      return c.text("Length required: send the file with a Content-Length\n", 411, PLAIN_TEXT);
    }
    if (!/^\d{1,15}$/.test(declared)) return c.text("Bad Content-Length\n", 400, PLAIN_TEXT);
    const length = Number(declared);
    if (length > config.uploadMaxBody) {
      await c.req.raw.body?.cancel();
      return c.text(`Payload too large: at most ${config.uploadMaxBody} bytes\n`, 413, PLAIN_TEXT);
    }
    const fixed = new FixedLengthStream(length);
    (c.req.raw.body ?? new Blob([]).stream()).pipeTo(fixed.writable).catch(() => {});
    body = fixed.readable;
  }

  const init: RequestInit = { method, headers, body, redirect: "manual" };
  let res: Response | typeof TIMED_OUT;
  try {
    // A download's answer must start within the timeout; an upload takes as long as its body does.
    res =
      method === "PUT"
        ? await fetch(target.url, init)
        : await bounded(DOWNLOAD_TIMEOUT_MS, (signal) => fetch(target.url, { ...init, signal }));
  } catch (err) {
    logEvent("upload_upstream_error", { method, upstream: base.host, message: String(err) }, "error");
    return c.text("Bad gateway: the upload service is unreachable\n", 502, PLAIN_TEXT);
  }
  if (res === TIMED_OUT) {
    logEvent("upload_upstream_timeout", { method, upstream: base.host }, "error");
    return c.text("Gateway timeout: the upload service did not answer\n", 504, PLAIN_TEXT);
  }
  const answer = { status: res.status, headers: clientResponseHeaders(res.headers) };
  if (method === "GET" && !range && res.body && storable(res.status, res.headers)) {
    const [client, stored] = res.body.tee();
    afterResponse(c, caches.default.put(key, new Response(stored, answer)));
    return markRelayed(new Response(client, answer));
  }
  return markRelayed(new Response(method === "HEAD" ? null : res.body, answer));
};

/** Work that goes on after the answer (the cache write); without an execution context it just runs. */
function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): void {
  const settled = work.catch((err) => logEvent("upload_cache_error", { message: String(err) }, "error"));
  try {
    c.executionCtx.waitUntil(settled);
  } catch {}
}

upload.all("/upload", serve);
upload.all(`${UPLOAD_PREFIX}*`, serve);
