/**
 * Gateway mode, request side: answers RTMPT (FFmpeg libavformat/rtmphttp.c, rtmpdump librtmp/rtmp.c,
 * Red5 RTMPTServlet.java) and routes each session's requests to its Durable Object (session.ts).
 * `/fcs/ident2` → 404 as Red5 answers (Flash expects it); `/open/1` → new unguessable id, an object
 * that connects to an rtmp:// origin (spread over RTMPT_ORIGINS, failing over), reply exactly `<id>\n`;
 * `/send|idle|close/<id>/<seq>` and `/close/<id>` → RPC into that object. Replies are `HTTP/1.1 200`
 * with a Content-Length (a byte array body) and exactly `Content-Type: application/x-fcs`, never
 * chunked: librtmp reads replies by length (rtmp.c HTTP_read) and HaishinKit drops a reply whose
 * Content-Type is anything else (RTMPTSocket.swift:157-161).
 */
import type { Context } from "hono";
import type { AppEnv } from "../../app";
import { readCapped } from "../../http/body";
import { PLAIN_TEXT } from "../../http/headers";
import { logEvent } from "../../shared/log";
import { newSessionId, RTMPT_CONTENT_TYPE, type RtmptRequest } from "../protocol";
import { rotation } from "../rotation";
import { arrival } from "./body-arrival";
import { mayAnswerQuietly, noteAnswer, noteNext } from "./quiet-sends";
import type { Exchange, RtmptSession, TcpOrigin } from "./session";

const fcsHeaders = { "Content-Type": RTMPT_CONTENT_TYPE, "Cache-Control": "no-cache, no-store" };

export async function gatewayRtmpt(c: Context<AppEnv>, request: RtmptRequest): Promise<Response> {
  try {
    return await route(c, request);
  } catch (err) {
    // The session's object failed under the request (evicted, reset by a deploy, overloaded): a plain
    // 503, never a 500 with a stack; the session's socket is gone with it, so later requests get 404.
    rpcFailed(request.kind, err);
    return new Response("RTMPT session interrupted\n", { status: 503, headers: PLAIN_TEXT });
  }
}

function rpcFailed(kind: string, err: unknown): void {
  logEvent("rtmpt_gateway_rpc_failed", { kind, message: String(err) }, "error");
}

async function route(c: Context<AppEnv>, request: RtmptRequest): Promise<Response> {
  const ns = c.env.RTMPT_SESSIONS;
  const max = c.get("config").maxBody;
  // /send and /idle with a Content-Length (what real clients send) answer before their body is read.
  if ((request.kind === "send" || request.kind === "idle") && c.req.header("content-length") !== undefined) {
    return early(c, request.kind, request.id, ns.get(ns.idFromName(request.id)), request.seq, max);
  }
  // Always read the whole body (even idle's 0x00): workerd answers `Connection: close` when a request
  // body is left unread, and librtmp/FFmpeg keep one connection for the whole session.
  // Capped: a body without Content-Length (chunked) is not checked by the shared route.
  const body = await readCapped(c.req.raw.body, max);
  if (!body) return new Response("Request body too large\n", { status: 413, headers: PLAIN_TEXT });
  switch (request.kind) {
    case "fcs":
      return new Response("Not found\n", { status: 404, headers: PLAIN_TEXT });
    case "open": {
      const config = c.get("config");
      const id = newSessionId();
      // A random start spreads sessions over the origins (rotation.ts); each object connects once.
      const start = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
      const origins: TcpOrigin[] = rotation(config.origins, start).map((o) => ({ host: o.host, port: o.port }));
      const opened = await ns.get(ns.idFromName(id)).open(origins, config.originTimeoutMs);
      if (!opened.ok) return new Response("RTMP origin unavailable\n", { status: 502, headers: PLAIN_TEXT });
      return new Response(`${id}\n`, { status: 200, headers: fcsHeaders });
    }
    case "send": // without Content-Length (chunked): one step, body first
      return reply(request.id, await ns.get(ns.idFromName(request.id)).send(request.seq, body));
    case "idle":
      return reply(request.id, await ns.get(ns.idFromName(request.id)).idle(request.seq));
    case "close":
      return reply(request.id, await ns.get(ns.idFromName(request.id)).close(request.seq));
  }
}

/**
 * /send and /idle, answered early: FFmpeg writes a POST's headers and its body separately, so with
 * Nagle on its side the body waits for the server's ACK of the headers, which Linux delays ~40 ms
 * unless a reply goes out. The reply's headers (its length is known: polling byte + origin bytes
 * buffered now) therefore leave at once; its bytes follow once the body was read and written to the
 * origin in seq order, so the connection stays reusable (workerd closes it when a body is left unread).
 * A /send whose whole body came with its headers (body-arrival.ts) needs no early answer: it is one
 * call into the session (`send`), not two (`begin`, then `complete` with the body); nor does one that
 * follows a reply which left nothing waiting for the client (quiet-sends.ts): it is answered with the
 * polling byte alone at once, and its body goes to the session in one call (`sendQuiet`).
 */
async function early(
  c: Context<AppEnv>,
  kind: "send" | "idle",
  id: string,
  stub: DurableObjectStub<RtmptSession>,
  seq: number,
  max: number,
): Promise<Response> {
  const raw = c.req.raw.body;
  if (kind === "send" && !raw) return reply(id, await stub.send(seq, new Uint8Array(0)));
  const arrived = kind === "send" && raw ? await arrival(raw, Number(c.req.header("content-length")), max) : null;
  if (arrived?.kind === "here") return reply(id, await stub.send(seq, arrived.body));
  const readBody = () => (arrived ? arrived.rest() : readCapped(raw, max));
  if (arrived && mayAnswerQuietly(id, seq)) return quiet(c, id, stub, seq, readBody);
  noteNext(id, undefined);
  const result = kind === "send" ? await stub.begin(seq) : await stub.idle(seq);
  if (result.kind === "need-body") {
    // A /send reusing a served seq: a replay only if its bytes are the same, so read them first.
    const body = await readBody();
    if (!body) return new Response("Request body too large\n", { status: 413, headers: PLAIN_TEXT });
    return reply(id, await stub.send(seq, body));
  }
  if (result.kind !== "reply") {
    await readBody();
    return reply(id, result);
  }
  if (kind === "idle") noteAnswer(id, result);
  const ticket = result.ticket ?? 0;
  const { readable, writable } = new FixedLengthStream(result.body.byteLength);
  const finish = (async () => {
    let body: Uint8Array | null = null;
    try {
      body = await readBody();
    } finally {
      // Always hand the turn back: with the body, or null when it could not be read (the connection
      // dropped), so that the session waits for the client to resend this seq instead of skipping its
      // bytes. If the object is gone, the reply still completes and the next request gets its 404.
      if (kind === "send") {
        const done = await stub.complete(ticket, body).catch((err) => rpcFailed("complete", err));
        noteNext(id, done?.quietNext);
      }
    }
    const writer = writable.getWriter();
    await writer.write(result.body);
    await writer.close();
  })().catch((err) => {
    // The body could not be read (its connection was cut): end the reply too, never leave it open.
    writable.abort(err).catch(() => {});
  });
  keepAlive(c, finish);
  return new Response(readable, { status: 200, headers: fcsHeaders });
}

/**
 * A /send answered with the polling byte alone before its body arrives (quiet-sends.ts), then served
 * in one call. The session may have another answer for it (the hint no longer held): its reply is then
 * ended with an error, as a cut connection, and the client's next request gets the session's answer.
 */
function quiet(
  c: Context<AppEnv>,
  id: string,
  stub: DurableObjectStub<RtmptSession>,
  seq: number,
  readBody: () => Promise<Uint8Array | null>,
): Response {
  const { readable, writable } = new FixedLengthStream(1);
  const finish = (async () => {
    const body = await readBody();
    if (!body) throw new Error("request body too large");
    const result = await stub.sendQuiet(seq, body);
    noteAnswer(id, result);
    if (result.kind !== "reply" || result.body.byteLength !== 1) throw new Error(`quiet /send answered ${result.kind}`);
    const writer = writable.getWriter();
    await writer.write(result.body);
    await writer.close();
  })().catch((err) => {
    noteNext(id, undefined);
    writable.abort(err).catch(() => {});
  });
  keepAlive(c, finish);
  return new Response(readable, { status: 200, headers: fcsHeaders });
}

/** Keeps the request alive until `work` is done (an early reply's bytes follow its headers). */
function keepAlive(c: Context<AppEnv>, work: Promise<void>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (app.request in unit tests): the open reply stream keeps the request alive.
  }
}

function reply(id: string, result: Exchange): Response {
  noteAnswer(id, result);
  switch (result.kind) {
    case "need-body": // only `begin` answers so, and `early` handles it
      return new Response("RTMPT session interrupted\n", { status: 503, headers: PLAIN_TEXT });
    case "reply":
      return new Response(result.body, { status: 200, headers: fcsHeaders });
    case "gone":
      return new Response(`${result.message}\n`, { status: 404, headers: PLAIN_TEXT });
    case "bad":
      return new Response(`${result.message}\n`, { status: 400, headers: PLAIN_TEXT });
  }
}
