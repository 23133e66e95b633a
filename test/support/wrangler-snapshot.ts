/** `wrangler dev` on a snapshot of the worker and web/dist: see startWorker() in wrangler-dev.ts (the default). */
import { startWorker, type WorkerServer } from "./wrangler-dev";

export function startWorkerSnapshot(vars: Record<string, string> = {}): Promise<WorkerServer> {
  return startWorker(vars, { snapshot: true });
}
