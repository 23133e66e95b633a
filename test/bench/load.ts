/** A small keep-alive HTTP load generator for the RTMPT benchmarks: one connection per simulated session. */
import { Agent, request } from "node:http";

export interface LoadResult {
  latenciesMs: number[];
  errors: number;
  /** First few failure reasons (status codes or error messages), for diagnosis. */
  reasons: string[];
  elapsedMs: number;
  requests: number;
}

/**
 * Each simulated session is its own client address (CF-Connecting-IP, as Cloudflare's edge sets it; locally
 * Miniflare keeps a client's value): real sessions come from many clients, and the per-address limit on new
 * sessions (worker/http/rate-limit.ts) would otherwise refuse a benchmark's hundreds of /open a minute.
 */
function clientAddress(session: number): string {
  return `198.18.${(session >> 8) & 0xff}.${session & 0xff}`;
}

function post(agent: Agent, base: URL, path: string, body: Buffer, client: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: "POST",
        path,
        headers: {
          "Content-Type": "application/x-fcs",
          "Content-Length": body.length,
          "User-Agent": "Shockwave Flash",
          "CF-Connecting-IP": client,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `sessions` concurrent RTMPT sessions against `baseUrl`: each opens (`/open/1`) and then sends
 * `/send/<id>/<seq>` with a small body until `requestsPerSession` are done or `durationMs` passed,
 * back to back or, with `intervalMs`, one every `intervalMs` (a paced client, as real sessions are);
 * with `close`, each ends with `/close/<id>/<seq>`. Only the sends are timed.
 */
export async function runRtmptLoad(
  baseUrl: string,
  opts: {
    sessions: number;
    requestsPerSession?: number;
    durationMs?: number;
    bodyBytes?: number;
    intervalMs?: number;
    close?: boolean;
  },
): Promise<LoadResult> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.sessions });
  const body = Buffer.alloc(opts.bodyBytes ?? 64, 7);
  const latenciesMs: number[] = [];
  let errors = 0;
  const reasons: string[] = [];
  const fail = (why: string) => {
    errors++;
    if (reasons.length < 5) reasons.push(why);
  };
  const started = performance.now();
  const deadline = opts.durationMs ? started + opts.durationMs : Number.POSITIVE_INFINITY;
  const limit = opts.requestsPerSession ?? Number.POSITIVE_INFINITY;
  await Promise.all(
    Array.from({ length: opts.sessions }, async (_, n) => {
      const client = clientAddress(n);
      const open = await post(agent, base, "/open/1", Buffer.from([0]), client);
      if (open.status !== 200) {
        fail(`open ${open.status} ${open.body.toString().slice(0, 80)}`);
        return;
      }
      const id = open.body.toString().trim();
      // Counted from 0 after /open, as librtmp (rtmp.c resets its counter after /open) and FFmpeg do.
      let seq = 0;
      for (; seq < limit && performance.now() < deadline; seq++) {
        const t0 = performance.now();
        try {
          const r = await post(agent, base, `/send/${id}/${seq}`, body, client);
          if (r.status === 200) latenciesMs.push(performance.now() - t0);
          else fail(`send ${r.status} ${r.body.toString().slice(0, 80)}`);
        } catch (err) {
          fail(`send ${String(err)}`);
        }
        const wait = (opts.intervalMs ?? 0) - (performance.now() - t0);
        if (wait > 0) await sleep(wait);
      }
      if (opts.close) {
        const r = await post(agent, base, `/close/${id}/${seq}`, Buffer.from([0]), client).catch((err) => ({
          status: 0,
          body: Buffer.from(String(err)),
        }));
        if (r.status !== 200) fail(`close ${r.status} ${r.body.toString().slice(0, 80)}`);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latenciesMs, errors, reasons, elapsedMs, requests: latenciesMs.length + errors };
}
