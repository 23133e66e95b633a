/**
 * Runs the worker under `wrangler dev` on 127.0.0.1 with the given vars, as `npm start` does.
 *
 * By default it serves a snapshot: worker/, wrangler.toml and the built web/dist are copied into a temp
 * dir (node_modules linked) and `wrangler dev` runs there. `wrangler dev` reloads the worker whenever a
 * watched source or asset changes, and a reload silently drops every open WebSocket and resets Durable
 * Objects; a snapshot keeps a test's worker stable while the working tree or web/dist changes under it.
 * `{ snapshot: false }` serves the working tree itself.
 */
import { cpSync, existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { freePort, type Proc, ROOT, startProcess, tempDir, waitFor } from "./process";

export interface WorkerServer {
  url: string;
  port: number;
  proc: Proc;
  /** The directory wrangler dev runs in (the snapshot, or the project root). */
  dir: string;
  stop: () => Promise<void>;
}

function snapshot(): string {
  if (!existsSync(join(ROOT, "web/dist/index.html"))) throw new Error("web/dist is not built: run `npm run build` first");
  const dir = tempDir("worker-snapshot");
  for (const item of ["worker", "wrangler.toml", "package.json", "tsconfig.json", "web/dist"]) {
    cpSync(join(ROOT, item), join(dir, item), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * Whether the worker answered its /healthz: 200, or 503 with its JSON report (an upstream is down, which
 * a test may intend, e.g. XMPP_WEBSOCKET_URL at a closed port). Not some other 5xx of a worker starting.
 */
export async function healthzAnswers(url: string): Promise<boolean> {
  const res = await fetch(`${url}/healthz`);
  if (res.status === 200) return true;
  const body = res.status === 503 ? ((await res.json().catch(() => null)) as { ok?: unknown } | null) : null;
  if (!body) await res.body?.cancel();
  return body?.ok === false;
}

export interface WorkerOptions {
  /** False: serve the working tree itself (it reloads on edits). Default: a snapshot. */
  snapshot?: boolean;
  /** Port to listen on (default: a free one). */
  port?: number;
}

export async function startWorker(vars: Record<string, string> = {}, opts: WorkerOptions = {}): Promise<WorkerServer> {
  // A free port can be taken by another process between our check and wrangler's bind (its internal
  // sockets too): start again on fresh ports, unless the caller asked for a port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startWorkerOnce(vars, opts);
    } catch (err) {
      if (opts.port || attempt >= 3 || !/Address already in use/.test(String(err))) throw err;
    }
  }
}

async function startWorkerOnce(vars: Record<string, string>, opts: WorkerOptions): Promise<WorkerServer> {
  const dir = opts.snapshot === false ? ROOT : snapshot();
  const port = opts.port ?? (await freePort());
  const inspector = await freePort();
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector)];
  args.push("--log-level", "info");
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const proc = startProcess("npx", args, {
    cwd: dir,
    env: { WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1", WRANGLER_LOG_PATH: join(dir, "node_modules/.wrangler-logs") },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor("wrangler dev", () => healthzAnswers(url), 60_000, proc);
  return { url, port, proc, dir, stop: () => proc.stop() };
}
