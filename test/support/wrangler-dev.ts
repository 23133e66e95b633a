/** Runs the worker under `wrangler dev` on 127.0.0.1 with the given vars, as `npm start` does. */
import { freePort, type Proc, ROOT, startProcess, waitFor } from "./process";

export interface WorkerServer {
  url: string;
  port: number;
  proc: Proc;
  stop: () => Promise<void>;
}

export async function startWorker(vars: Record<string, string> = {}): Promise<WorkerServer> {
  const port = await freePort();
  const inspector = await freePort();
  const args = [
    "wrangler",
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspector),
    "--log-level",
    "info",
  ];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const proc = startProcess("npx", args, {
    env: { WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1", WRANGLER_LOG_PATH: `${ROOT}/node_modules/.wrangler-logs` },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor("wrangler dev", async () => (await fetch(`${url}/healthz`)).ok, 60_000, proc);
  return { url, port, proc, stop: () => proc.stop() };
}
