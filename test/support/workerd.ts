/**
 * The built worker bundle running in workerd through Miniflare's API, without `wrangler dev`'s proxy
 * layers: the production-like runtime the benchmarks measure (wrangler dev adds ~3 ms per request of its own).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { freePort, ROOT, tempDir } from "./process";

export interface WorkerdServer {
  url: string;
  /** PID of the workerd process (for CPU accounting via /proc). */
  pid: number | undefined;
  /** workerd's V8 inspector (ws://127.0.0.1:<port>), when started with `inspector: true`. */
  inspector?: URL;
  stop: () => Promise<void>;
}

/** Bundles worker/ with `wrangler deploy --dry-run` (esbuild, as production) into a temp dir. */
export function bundleWorker(): string {
  const out = tempDir("bundle");
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], {
    cwd: ROOT,
    stdio: "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
  });
  return out;
}

/** workerd processes started by this Node process (Miniflare spawns workerd as a direct child). */
function childWorkerdPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm.startsWith("workerd") && ppid === process.pid) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** The worker's console output is dropped instead of printed (benchmarks: thousands of log records). */
const QUIET = { handleStructuredLogs: () => {} };

/**
 * `quiet` drops the worker's console output (it still runs: its cost is measured); `onLog` gets each
 * line of it instead.
 * `assets: false` leaves out the static-assets layer: Miniflare emulates Cloudflare's asset router as
 * extra JS workers in the same workerd process, a hop (and CPU) in front of every request that in
 * production is Cloudflare's and is not billed to the worker; without it only Porthole's own code runs.
 */
export async function startWorkerd(
  bundleDir: string,
  vars: Record<string, string>,
  opts: { assets?: boolean; inspector?: boolean; quiet?: boolean; onLog?: (message: string) => void } = {},
): Promise<WorkerdServer> {
  const port = await freePort();
  const before = new Set(childWorkerdPids());
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      ...(opts.inspector ? { inspectorPort: await freePort() } : {}),
      ...(opts.quiet ? QUIET : {}),
      ...(opts.onLog ? { handleStructuredLogs: ({ message }: { message: string }) => opts.onLog?.(message) } : {}),
      workers: [
        {
          name: "porthole",
          modules: true,
          modulesRoot: bundleDir,
          scriptPath: `${bundleDir}/index.js`,
          compatibilityDate: "2026-11-01",
          compatibilityFlags: ["nodejs_compat"],
          bindings: vars,
          durableObjects: {
            RTMPT_SESSIONS: { className: "RtmptSession", useSQLite: true },
            LIVE_STREAMS: { className: "LiveStream", useSQLite: true },
          },
          ...(opts.assets === false
            ? {}
            : {
                assets: {
                  directory: `${ROOT}/web/dist`,
                  binding: "ASSETS",
                  routerConfig: { invoke_user_worker_ahead_of_assets: true, has_user_worker: true },
                  assetConfig: { not_found_handling: "single-page-application" },
                },
              }),
        },
      ],
    }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");
  const pid = childWorkerdPids().find((p) => !before.has(p));
  const inspector = opts.inspector ? await mf.getInspectorURL() : undefined;
  return { url, pid, inspector, stop: () => mf.dispose() };
}

/** A bare worker from source text (e.g. the smallest possible pass-through proxy), as a runtime floor. */
export async function startWorkerdScript(
  script: string,
  vars: Record<string, string> = {},
  opts: {
    inspector?: boolean;
    quiet?: boolean;
    durableObjects?: Record<string, { className: string; useSQLite?: boolean }>;
  } = {},
): Promise<WorkerdServer> {
  const port = await freePort();
  const before = new Set(childWorkerdPids());
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      ...(opts.inspector ? { inspectorPort: await freePort() } : {}),
      ...(opts.quiet ? QUIET : {}),
      modules: true,
      script,
      compatibilityDate: "2026-11-01",
      bindings: vars,
      ...(opts.durableObjects ? { durableObjects: opts.durableObjects } : {}),
    }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");
  const pid = childWorkerdPids().find((p) => !before.has(p));
  const inspector = opts.inspector ? await mf.getInspectorURL() : undefined;
  return { url, pid, inspector, stop: () => mf.dispose() };
}
