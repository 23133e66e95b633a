/**
 * Where Porthole's JavaScript goes on an in-session RTMPT request in proxy mode (`/send/<id>/<seq>`), stage
 * by stage: proxy-stages-worker.ts (bundled by `wrangler deploy --dry-run`, as production, run in the same
 * workerd as rtmpt-floor.bench.ts) times the whole production fetch handler, the floor worker's whole job
 * and each of Porthole's stages on its own, inside the isolate, with the origin's fetch() answered in
 * memory (headers as the real origin, nginx, sent them). Each run is measured as workerd's CPU time (its
 * threads' schedstat, ns resolution: another job on the machine does not count, as wall time would),
 * less that of a no-op run. Rounds interleave the stages; each figure is the least of its rounds in µs per
 * request (other jobs on the machine only ever add to a run: shared caches, a sibling hyperthread). What the stages do not add up to is the rest of the handler: routing and
 * its middleware chain, the Hono Context, the glue between stages.
 */

import { execFileSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import { request } from "node:http";
import { afterAll, beforeAll, it } from "vitest";
import { ROOT, tempDir } from "../support/process";
import { startWorkerd, type WorkerdServer } from "../support/workerd";
import { type Counted, instructionsPerRequest, startCounted } from "./callgrind";
import { type NginxHttp, startRtmptShapedOrigin } from "./nginx-http";
import { type BenchRow, progress, report, threadsCpuMs } from "./support";

const ROUNDS = 9;
/** Each timed run lasts about this long (the isolate's clock has 1 ms resolution). */
const RUN_MS = 25;

/** BENCH_CALLGRIND=1: instructions per iteration (callgrind, repeatable on a busy machine, ~3 min) instead of CPU time. */
const CALLGRIND = Boolean(process.env.BENCH_CALLGRIND);

let origin: NginxHttp;
let server: WorkerdServer;
let counted: Counted | undefined;

beforeAll(async () => {
  progress("proxy-stages: bundling the stage harness (wrangler deploy --dry-run), starting the origin and workerd");
  origin = await startRtmptShapedOrigin();
  const out = tempDir("stages-bundle");
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out, "test/bench/proxy-stages-worker.ts"], {
    cwd: ROOT,
    stdio: "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
  });
  copyFileSync(`${out}/proxy-stages-worker.js`, `${out}/index.js`);
  const vars = { XMPP_WEBSOCKET_URL: "", RTMPT_TAG_SECRET: "bench-secret", RTMPT_ORIGINS: origin.url };
  if (CALLGRIND) {
    [counted] = await startCounted([() => startWorkerd(out, vars, { assets: false, quiet: true })]);
    if (!counted) throw new Error("callgrind: workerd did not start");
    server = counted.server;
  } else {
    server = await startWorkerd(out, vars, { assets: false, quiet: true });
  }
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await origin?.stop();
});

/** A POST as the load generator (load.ts) sends it: same headers, one keep-alive connection. */
function post(path: string, body = Buffer.alloc(64, 7)): Promise<string> {
  const base = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: "POST",
        path,
        headers: {
          "Content-Type": "application/x-fcs",
          "Content-Length": body.length,
          "User-Agent": "Shockwave Flash",
          "CF-Connecting-IP": "198.18.0.1",
          Connection: "keep-alive",
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks).toString())
            : reject(new Error(`${path}: ${res.statusCode} ${Buffer.concat(chunks)}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Instructions (in millions) workerd ran for `stage` × n, less a no-op run's (BENCH_CALLGRIND). */
async function runInstructions(c: Counted, stage: string, n: number): Promise<number> {
  const run = (name: string, times: number) => async () => {
    await post(`/run?stage=${encodeURIComponent(name)}&n=${times}`);
    return 1;
  };
  return ((await instructionsPerRequest(c, run(stage, n))) - (await instructionsPerRequest(c, run("noop", 1)))) / 1e6;
}

/** workerd's CPU time (all its threads, ns resolution) over one run of `stage` × n, less a no-op run's. */
async function runCpuMs(stage: string, n: number): Promise<number> {
  const pid = server.pid ?? 0;
  const c0 = threadsCpuMs(pid);
  await post(`/run?stage=${encodeURIComponent(stage)}&n=${n}`);
  const c1 = threadsCpuMs(pid);
  await post("/run?stage=noop&n=1");
  const c2 = threadsCpuMs(pid);
  return c1 - c0 - (c2 - c1);
}

/** The stages of Porthole's handler measured alone (each less its baseline) and the whole handlers. */
const OWN: Record<string, { baseline?: string }> = {
  config: {},
  "path grammar": {},
  "content-length": {},
  "session tag": {},
  "request headers": {},
  "origin fetch + timeout": { baseline: "origin fetch" },
  "reply (relay)": { baseline: "answer" },
  "rejection-log check": {},
};

const VARIANTS = [
  "x: headers copy only",
  "x: headers iterate only",
  "x: headers keys spread",
  "x: headers one get",
  "x: headers one has",
  "x: abort controller",
  "x: set+clear timeout",
  "x: fetch + signal only",
  "x: reply headers copied then a Response",
  "x: reply Response from an init literal",
  "x: reply Response from the response",
];

it("Porthole's handler stage by stage (proxy mode, in-session request)", async () => {
  const captured = JSON.parse(await post("/capture")) as { clientHeaders: string[][]; originHeaders: string[][] };
  progress(
    `proxy-stages: client headers ${captured.clientHeaders.map((h) => h[0]).join(", ")}; origin reply headers ${captured.originHeaders.map((h) => h[0]).join(", ")}`,
  );
  // BENCH_STAGES=a,b runs only those (e.g. the variants below, to compare ways of doing a stage).
  const names = process.env.BENCH_STAGES?.split(",") ?? [
    "request",
    "answer",
    "floor",
    "porthole",
    "origin fetch",
    ...Object.keys(OWN),
    ...(process.env.BENCH_STAGE_VARIANTS ? VARIANTS : []),
  ];
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const iterations: Record<string, number> = {};
  if (counted) {
    // Instructions are repeatable: one counted run per stage, after an uncounted one (tier-up).
    for (const name of names) {
      iterations[name] = 300;
      await post(`/run?stage=${encodeURIComponent(name)}&n=300`);
      samples[name]?.push(((await runInstructions(counted, name, 300)) * 1e6) / 300);
      progress(`proxy-stages: ${name}: ${Math.round(samples[name]?.[0] ?? 0)} instructions per iteration`);
    }
  } else {
    // Calibrate: iterations per run so that each run lasts about RUN_MS (after a warm-up of every stage).
    for (const name of names) {
      await runCpuMs(name, 2000);
      const ms = Math.max(0.5, await runCpuMs(name, 2000));
      iterations[name] = Math.max(200, Math.round((2000 * RUN_MS) / ms));
    }
    for (let r = 0; r < ROUNDS; r++) {
      progress(`proxy-stages: round ${r + 1} of ${ROUNDS}`);
      const order = r % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const n = iterations[name] ?? 1000;
        samples[name]?.push(((await runCpuMs(name, n)) * 1000) / n);
      }
    }
  }
  /** A stage's cost per iteration: the least of its rounds (µs), or its one instruction count. */
  const us = (name: string) => Math.min(...(samples[name] ?? [Number.NaN]));
  const porthole = us("porthole") - us("request");
  const floor = us("floor") - us("request");
  const over = porthole - floor;
  const unit = counted ? "instr" : "µs";
  const rows: BenchRow[] = [
    {
      metric: "whole handler, in-session /send (in memory origin)",
      porthole,
      alternative: floor,
      unit,
      ratio: porthole / floor,
    },
  ];
  let explained = 0;
  const breakdown: Record<string, number> = {};
  for (const [name, { baseline }] of Object.entries(OWN)) {
    const cost = us(name) - (baseline ? us(baseline) : 0);
    breakdown[name] = cost;
    explained += cost;
    rows.push({ metric: `stage: ${name}`, porthole: cost, unit, ratio: cost / over });
  }
  breakdown["routing, middleware, Context, glue (the rest)"] = over - explained;
  rows.push({
    metric: "the rest: routing, middleware chain, Context, glue",
    porthole: over - explained,
    unit,
    ratio: (over - explained) / over,
  });
  console.log(
    `\nPorthole ${porthole.toFixed(2)} ${unit} vs floor ${floor.toFixed(2)} ${unit} per request (+${over.toFixed(2)} ${unit}); where the extra goes:`,
  );
  for (const [name, cost] of Object.entries(breakdown))
    console.log(`${cost.toFixed(2).padStart(10)} ${unit} ${((cost / over) * 100).toFixed(0).padStart(4)} %  ${name}`);
  for (const v of VARIANTS) if (samples[v]?.length) console.log(`${us(v).toFixed(2).padStart(10)} ${unit}  ${v}`);
  report(
    "proxy-stages",
    "Porthole's proxy-mode handler, stage by stage (in workerd, in-memory origin)",
    "bare pass-through worker",
    rows,
    {
      leastUsPerIteration: Object.fromEntries(names.map((n) => [n, us(n)])),
      iterations,
      rounds: ROUNDS,
      captured,
      note: "ratio of a stage row = its share of Porthole's extra over the floor",
    },
  );
});
