/**
 * `wrangler dev` on a snapshot of the worker: worker/, wrangler.toml and the built web/dist are copied
 * into a temp dir (node_modules linked) and served from there. `wrangler dev` reloads the worker whenever
 * a watched source or asset changes, and a reload silently drops every open WebSocket; long-lived
 * connection tests (the XMPP edge idle test) use this so that edits elsewhere in a working tree, or a
 * concurrent `npm run build`, cannot cut them. Otherwise the same as startWorker() in wrangler-dev.ts.
 */
import { cpSync, existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { freePort, ROOT, startProcess, tempDir, waitFor } from "./process";
import type { WorkerServer } from "./wrangler-dev";

export async function startWorkerSnapshot(vars: Record<string, string> = {}): Promise<WorkerServer & { dir: string }> {
  if (!existsSync(join(ROOT, "web/dist/index.html"))) throw new Error("web/dist is not built: run `npm run build` first");
  const dir = tempDir("worker-snapshot");
  for (const item of ["worker", "wrangler.toml", "package.json", "tsconfig.json", "web/dist"]) {
    cpSync(join(ROOT, item), join(dir, item), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const port = await freePort();
  const inspector = await freePort();
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector)];
  args.push("--log-level", "info");
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const proc = startProcess("npx", args, {
    cwd: dir,
    env: { WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1", WRANGLER_LOG_PATH: join(dir, ".wrangler-logs") },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor("wrangler dev (snapshot)", async () => (await fetch(`${url}/healthz`)).ok, 60_000, proc);
  return { url, port, proc, dir, stop: () => proc.stop() };
}
