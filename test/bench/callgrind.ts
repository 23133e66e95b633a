/**
 * Instructions per request of a worker, counted by valgrind's callgrind in the workerd process: unlike
 * CPU time, the count barely moves when other jobs share the machine, so small differences over the
 * floor can be seen. Miniflare starts the workerd named by MINIFLARE_WORKERD_PATH; here that is a
 * script running the real binary under `valgrind --tool=callgrind --instr-atstart=no` (no counting
 * until `callgrind_control -i on`), `--smc-check=all-non-file` because V8 writes the code it runs.
 * Some 50x slower than native: for short, fixed request counts only (BENCH_CALLGRIND=1 in rtmpt-floor).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { tempDir } from "../support/process";
import type { WorkerdServer } from "../support/workerd";

export interface Counted {
  server: WorkerdServer;
  /** The valgrind process (it runs workerd): what callgrind_control talks to. */
  pid: number;
  dir: string;
}

const workerdBinary = (): string => (createRequire(import.meta.url)("workerd") as { default: string }).default;

/**
 * Starts workers (each `start` calls startWorkerd or startWorkerdScript) with workerd under callgrind,
 * all at once (each takes tens of seconds to start so).
 */
export async function startCounted(starts: Array<() => Promise<WorkerdServer>>): Promise<Counted[]> {
  const dir = tempDir("callgrind");
  const wrapper = join(dir, "workerd-callgrind.sh");
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file --callgrind-out-file=${dir}/callgrind.%p.out ${workerdBinary()} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  const saved = process.env.MINIFLARE_WORKERD_PATH;
  process.env.MINIFLARE_WORKERD_PATH = wrapper;
  const outs = () => new Set(readdirSync(dir).filter((f) => /^callgrind\.\d+\.out$/.test(f)));
  try {
    const counted: Counted[] = [];
    // Started one after the other so that each valgrind process is known to be its worker's; the
    // workers then warm up together.
    for (const start of starts) {
      const before = outs();
      const server = await start();
      const out = [...outs()].find((f) => !before.has(f));
      const pid = Number(/^callgrind\.(\d+)\.out$/.exec(out ?? "")?.[1] ?? 0);
      if (!pid) throw new Error("callgrind: no valgrind process found for the worker");
      counted.push({ server, pid, dir });
    }
    return counted;
  } finally {
    if (saved === undefined) delete process.env.MINIFLARE_WORKERD_PATH;
    else process.env.MINIFLARE_WORKERD_PATH = saved;
  }
}

/** Instructions the worker's process executed while `run` ran, per request `run` reports. */
export async function instructionsPerRequest(c: Counted, run: () => Promise<number>): Promise<number> {
  const ctl = (...args: string[]) => execFileSync("callgrind_control", [...args, String(c.pid)], { stdio: "pipe" });
  ctl("-z");
  ctl("-i", "on");
  const requests = await run();
  ctl("-i", "off");
  ctl("-d");
  const dumps = readdirSync(c.dir)
    .filter((f) => f.startsWith(`callgrind.${c.pid}.out.`))
    .sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()));
  const last = dumps[dumps.length - 1];
  const totals = last ? /^totals: (\d+)/m.exec(readFileSync(join(c.dir, last), "utf8")) : null;
  if (!totals?.[1]) throw new Error("callgrind: the dump holds no totals");
  return Number(totals[1]) / requests;
}
