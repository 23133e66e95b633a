/**
 * Proxy mode: Apache `ProxyPass` + `ProxyPassReverse` of the five RTMPT prefixes to http(s) origins
 * (Wowza, Red5, Adobe Media Server), plus what Apache cannot do: sticky sessions over several origins
 * without shared state (signed tags, session-tags.ts) and failover of `/open`. Bodies stream byte-exact
 * with their Content-Length (librtmp refuses chunked replies); hop-by-hop headers are dropped
 * (RFC 9110 §7.6.1) and the forwarding headers are the worker's own (RFC 7239). The upstream is always
 * one of the configured origins: the client's Host, query or forwarding headers never choose it.
 */
import type { Config, Origin } from "../../env";
import { readCapped } from "../../http/body";
import { PLAIN_TEXT } from "../../http/headers";
import { abortAfter, TIMED_OUT } from "../../shared/bounded";
import { logEvent } from "../../shared/log";
import type { RtmptRequest } from "../protocol";
import { MAX_ORIGINS, rotation } from "../rotation";
import { relay } from "./relay";
import { parseOpenReply, tagSessionId, untagSessionId } from "./session-tags";
import { upstreamHeaders } from "./upstream-headers";

const UPLOAD_FLOOR_BYTES_PER_S = 8 * 1024;

/**
 * Round robin of new sessions, per isolate (no shared state needed: tags carry the origin), from a random
 * first origin so that many lightly used isolates do not all favour origin 0. Set on the first request
 * (Workers forbid random values at global scope).
 */
let nextStart: number | undefined;

function roundRobin(bump: boolean): number {
  nextStart ??= Math.floor(Math.random() * MAX_ORIGINS);
  return bump ? nextStart++ : nextStart;
}

type Attempt = { ok: true; res: Response } | { ok: false; reason: "timeout" | "unreachable"; detail: string };

function text(body: string, status: number): Response {
  return new Response(body, { status, headers: PLAIN_TEXT });
}

/** One log record per event (never bodies): `info` when it went well, `warn` otherwise. */
function log(event: string, fields: { outcome: string } & Record<string, unknown>): void {
  logEvent(event, fields, fields.outcome === "ok" ? "info" : "warn");
}

/**
 * One request to one origin, with the configured timeout on the response head. The body: with a
 * Content-Length (every real RTMPT client sends one; the route already checked it against the cap) the
 * client's stream is passed through as is: workerd keeps the length of a body stream, so the origin gets
 * the same Content-Length, never chunked. Otherwise the caller read it (readCapped, up to the cap).
 */
async function attempt(
  origin: Origin,
  path: string,
  headers: Headers,
  body: BodyInit | null,
  timeoutMs: number,
): Promise<Attempt> {
  const url = `${origin.url.protocol}//${origin.url.host}${path}`;
  try {
    const res = await abortAfter(timeoutMs, (signal) =>
      fetch(url, { method: "POST", headers, body, signal, redirect: "manual" }),
    );
    if (res === TIMED_OUT) return { ok: false, reason: "timeout", detail: `no answer within ${timeoutMs} ms` };
    return { ok: true, res };
  } catch (err) {
    return { ok: false, reason: "unreachable", detail: String(err).slice(0, 200) };
  }
}

function failure(attempts: Attempt[]): Response {
  const allTimedOut = attempts.length > 0 && attempts.every((a) => !a.ok && a.reason === "timeout");
  return allTimedOut
    ? text("Gateway timeout: the RTMPT origin did not answer in time\n", 504)
    : text("Bad gateway: no RTMPT origin could serve this request\n", 502);
}

/** `/fcs/...` and `/open/...`: not tied to a session, so they go round-robin with failover. */
async function openOrIdent(raw: Request, url: URL, request: RtmptRequest, config: Config): Promise<Response> {
  // Read whole (up to the cap): an `/open` may be sent again to the next origin.
  const body = await readCapped(raw.body, config.maxBody);
  if (body === null) return text("Request body too large\n", 413);
  const search = url.search;
  const started = Date.now();
  const attempts: Attempt[] = [];
  const tried: { origin: number; outcome: string }[] = [];
  for (const origin of rotation(config.origins, roundRobin(request.kind === "open"))) {
    const index = origin.index;
    const a = await attempt(origin, `${request.path}${search}`, upstreamHeaders(raw, url), body, config.originTimeoutMs);
    attempts.push(a);
    if (!a.ok) {
      tried.push({ origin: index, outcome: a.reason });
      continue;
    }
    if (a.res.status >= 500) {
      tried.push({ origin: index, outcome: `status ${a.res.status}` });
      await a.res.body?.cancel();
      continue;
    }
    if (request.kind === "fcs" || a.res.status !== 200) {
      if (request.kind === "open") log("rtmpt_open", { outcome: "refused", origin: index, status: a.res.status, tried });
      return relay(a.res, url.origin, config);
    }
    // An `/open` reply is a short id; anything announced as larger is not an RTMPT origin's answer.
    const announced = Number(a.res.headers.get("content-length") ?? 0);
    if (announced > 1024) await a.res.body?.cancel();
    const reply = announced > 1024 ? null : parseOpenReply(new Uint8Array(await a.res.arrayBuffer()));
    const publicId = reply ? await tagSessionId(config.tagSecret, origin, reply.id) : null;
    if (!reply || !publicId) {
      tried.push({ origin: index, outcome: "bad session id" });
      continue;
    }
    log("rtmpt_open", { outcome: "ok", origin: index, status: 200, ms: Date.now() - started, tried });
    return relay(a.res, url.origin, config, `${publicId}${reply.trailer}`);
  }
  const res = failure(attempts);
  log(request.kind === "open" ? "rtmpt_open" : "rtmpt_fcs", { outcome: "failed", status: res.status, tried });
  return res;
}

/** `/send|/idle|/close/<id>/<seq>` (and `/close/<id>`): to the origin that opened the session, with the origin's own id. */
async function inSession(
  raw: Request,
  url: URL,
  request: Extract<RtmptRequest, { id: string }>,
  config: Config,
): Promise<Response> {
  const tagged = untagSessionId(config.tagSecret, config.origins, request.id);
  const session = tagged instanceof Promise ? await tagged : tagged;
  if (!session.ok) return text(`${session.message}\n`, session.status);
  const declared = raw.headers.get("content-length");
  // A body without a Content-Length (chunked) is read up to the cap; see attempt() for one with it.
  const body = declared !== null && raw.body ? raw.body : await readCapped(raw.body, config.maxBody);
  if (body === null) return text("Request body too large\n", 413);
  // `/close/<id>` without a seq (HaishinKit, RootEncoder) goes to the origin as the client sent it.
  const seq = request.seq === null ? "" : `/${request.seq}`;
  const path = `/${request.kind}/${session.originId}${seq}${url.search}`;
  // The timeout runs from the start of the upload: a streamed body (a keyframe can be hundreds of KB from a
  // slow uplink) gets extra time at a floor of 8 KiB/s on top of RTMPT_ORIGIN_TIMEOUT_MS.
  const length = Number(declared ?? 0);
  const timeoutMs = config.originTimeoutMs + Math.ceil((length / UPLOAD_FLOOR_BYTES_PER_S) * 1000);
  const a = await attempt(session.origin, path, upstreamHeaders(raw, url), body, timeoutMs);
  if (!a.ok) {
    log(`rtmpt_${request.kind}`, { outcome: a.reason, origin: session.origin.index, detail: a.detail });
    return failure([a]);
  }
  if (request.kind === "close") {
    log("rtmpt_close", { outcome: a.res.ok ? "ok" : "refused", origin: session.origin.index, status: a.res.status });
  }
  return relay(a.res, url.origin, config);
}

/** An RTMPT request that passed the shared checks (routes/rtmpt.ts); `url` is `raw`'s, parsed once. */
export function proxyRtmpt(raw: Request, url: URL, config: Config, request: RtmptRequest): Promise<Response> {
  if (request.kind === "fcs" || request.kind === "open") return openOrIdent(raw, url, request, config);
  return inSession(raw, url, request, config);
}
