/**
 * A harness worker for proxy-stages.bench.ts: Porthole's production modules bundled as production bundles
 * them, run in workerd, each stage of an in-session RTMPT `/send` in proxy mode timed on its own inside
 * the isolate, with the origin's `fetch()` replaced by an answer built in memory (the headers a real
 * origin sent, captured once), so that only JavaScript and the runtime's Headers / Request / Response
 * work is measured, not the network. `POST /run?stage=<name>&n=<iterations>` runs one stage n times (the
 * bench reads workerd's CPU time around it). `POST /capture` (sent by the bench like its load generator's
 * requests) records the client headers to replay and fetches the origin once for its reply headers.
 */
import { type Config, type Env, getConfig } from "../../worker/env";
import { contentLengthProblem } from "../../worker/http/body";
import { logRejection } from "../../worker/http/rejections";
import app from "../../worker/index";
import { parseRtmptPath } from "../../worker/rtmpt/protocol";
import { relay } from "../../worker/rtmpt/proxy/relay";
import { tagSessionId, untagSessionId } from "../../worker/rtmpt/proxy/session-tags";
import { upstreamHeaders } from "../../worker/rtmpt/proxy/upstream-headers";
import { abortAfter } from "../../worker/shared/bounded";

// Porthole's Durable Object classes, exported as by worker/index.ts (wrangler.toml binds them).
export { LiveStream, PushHub, RtmptSession } from "../../worker/index";

type Stage = (i: number) => unknown;
/** workerd's Headers are iterable (the DOM lib this folder type-checks with does not say so). */
const entries = (h: Headers) => h as unknown as Iterable<[string, string]> & { keys(): Iterable<string> };

const realFetch = globalThis.fetch.bind(globalThis);
let clientHeaders: [string, string][] = [];
let originHeaders: [string, string][] = [];
let publicId = "";
const BODY = new Uint8Array(64).fill(7);
const REPLY = new Uint8Array([1]);

/** The origin's answer, as its real fetch() gave it, built in memory. */
const originAnswer = () => new Response(REPLY, { status: 200, headers: originHeaders });

function incoming(base: string, i: number): Request {
  return new Request(`${base}/send/${publicId}/${i}`, { method: "POST", headers: clientHeaders, body: BODY });
}

function stages(base: string, env: Env, ctx: ExecutionContext): Record<string, Stage> {
  const config = getConfig(env) as Config;
  const origin = config.origins[0];
  if (!origin) throw new Error("no origin");
  const req = incoming(base, 0);
  const url = new URL(req.url);
  const path = url.pathname;
  const relayed = relay(originAnswer(), url.origin, config);
  const floorFetch = (r: Request) => {
    const u = new URL(r.url);
    return fetch(`${origin.url.origin}${u.pathname}${u.search}`, { method: r.method, headers: r.headers, body: r.body });
  };
  return {
    noop: () => undefined,
    // Baselines, subtracted from the stages that include them.
    request: (i) => incoming(base, i),
    answer: () => originAnswer(),
    // The floor worker's whole job, and Porthole's, on the same incoming request.
    floor: (i) => floorFetch(incoming(base, i)),
    porthole: (i) => app.fetch(incoming(base, i), env, ctx),
    // Porthole's stages, one at a time on prepared inputs.
    config: () => getConfig(env),
    "url parse": () => new URL(req.url),
    "path grammar": () => parseRtmptPath(path),
    "content-length": () => contentLengthProblem(req.headers.get("content-length") ?? undefined, config.maxBody),
    "session tag": () => untagSessionId(config.tagSecret, config.origins, publicId),
    "request headers": () => upstreamHeaders(req, url),
    "origin fetch": () => fetch(url.href, { method: "POST", headers: req.headers, body: null }),
    "origin fetch + timeout": () =>
      abortAfter(10_000, (signal) => fetch(url.href, { method: "POST", headers: req.headers, body: null, signal })),
    "reply (relay)": () => relay(originAnswer(), url.origin, config),
    "rejection-log check": () => logRejection(req, relayed),
    // Ways of doing a stage, compared (BENCH_STAGE_VARIANTS=1): what each Headers call costs, the timeout's
    // parts, and three ways to build the client's reply.
    "x: headers copy only": () => new Headers(req.headers),
    "x: headers iterate only": () => {
      let n = 0;
      for (const _ of entries(req.headers)) n++;
      return n;
    },
    "x: headers keys spread": () => [...entries(req.headers).keys()],
    "x: headers one get": () => req.headers.get("connection"),
    "x: headers one has": () => relayed.headers.has("x"),
    "x: abort controller": () => new AbortController(),
    "x: set+clear timeout": () => clearTimeout(setTimeout(() => {}, 10000)),
    "x: fetch + signal only": () =>
      fetch(url.href, { method: "POST", headers: req.headers, body: null, signal: new AbortController().signal }),
    "x: reply headers copied then a Response": () => {
      const a = originAnswer();
      const headers = new Headers(a.headers);
      for (const name of entries(a.headers).keys()) if (name === "connection" || name === "content-length") headers.delete(name);
      headers.set("cache-control", "no-cache");
      return new Response(a.body, { status: a.status, statusText: a.statusText, headers });
    },
    "x: reply Response from an init literal": () => {
      const a = originAnswer();
      const out = new Response(a.body, { status: a.status, statusText: a.statusText, headers: a.headers });
      for (const name of entries(a.headers).keys())
        if (name === "connection" || name === "content-length") out.headers.delete(name);
      out.headers.set("cache-control", "no-cache");
      return out;
    },
    "x: reply Response from the response": () => {
      const a = originAnswer();
      const out = new Response(a.body, a);
      for (const name of entries(a.headers).keys())
        if (name === "connection" || name === "content-length") out.headers.delete(name);
      out.headers.set("cache-control", "no-cache");
      return out;
    },
  };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const config = getConfig(env) as Config;
    const origin = config.origins[0];
    if (!origin) return new Response("RTMPT_ORIGINS unset\n", { status: 500 });
    if (url.pathname === "/capture") {
      await request.arrayBuffer();
      clientHeaders = [...entries(request.headers)];
      const res = await realFetch(`${origin.url.origin}/send/benchsession1/0`, { method: "POST", body: BODY });
      await res.arrayBuffer();
      originHeaders = [...entries(res.headers)];
      publicId = (await tagSessionId(config.tagSecret, origin, "benchsession1")) ?? "";
      globalThis.fetch = async () => originAnswer();
      return Response.json({ clientHeaders, originHeaders });
    }
    const stage = stages(url.origin, env, ctx)[url.searchParams.get("stage") ?? ""];
    if (!stage) return new Response("unknown stage\n", { status: 404 });
    const n = Number(url.searchParams.get("n") ?? 1000);
    for (let i = 0; i < n; i++) {
      const out = stage(i);
      if (out instanceof Promise) await out;
    }
    return new Response("done\n");
  },
};
