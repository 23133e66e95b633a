/** Start and stop the real peers used by end-to-end tests (all on 127.0.0.1), by PID. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `porthole-${prefix}-`));
}

/**
 * Waits until no process of group `pgid` is left (the leader's exit does not end its children, e.g.
 * `npx` → node → workerd); SIGKILLs the rest after `ms`.
 */
async function groupGone(pgid: number, ms = 5000): Promise<void> {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + ms;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive()) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {}
  }
}

export interface Proc {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
  /** A crash: SIGKILL to the whole group at once (no clean shutdown), then waits for exit. */
  kill: () => Promise<void>;
}

/**
 * Spawns a command in its own process group; `stop()` ends the group (SIGTERM, SIGKILL after 5 s) and
 * `kill()` crashes it, each waiting for the exit.
 */
export function startProcess(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Proc {
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  const keep = (d: Buffer) => {
    log += d.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    output: () => log,
    kill: async () => {
      if (ended()) return;
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {
        return;
      }
      await exited;
    },
    stop: async () => {
      if (ended()) return;
      try {
        process.kill(-(child.pid ?? 0), "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-(child.pid ?? 0), "SIGKILL");
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(timer);
      await groupGone(child.pid ?? 0);
    },
  };
}

/** Polls `probe` until it resolves true, or throws after `timeoutMs` with `what` and the process log. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, proc?: Proc): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) {
      throw new Error(`${what}: process exited with ${proc.child.exitCode}\n${proc.output().slice(-4000)}`);
    }
    try {
      if (await probe()) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms\n${proc?.output().slice(-4000) ?? ""}`);
}
