/**
 * The Erlang side of test/support/ejabberd.ts: Debian's ejabberd run straight from `erl`, as ejabberdctl's
 * `foreground` would (its `su ejabberd` and /etc/default/ejabberd left out), and one ejabberdctl command
 * sent to that node the way ejabberdctl does (a hidden node running ejabberd_ctl). Both reach the node on
 * its own distribution port on 127.0.0.1 without epmd (`-erl_epmd_port`), with the cookie in $HOME = the
 * run's temp dir, so nothing is shared with the system service or outlives the run.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const ERL = "/usr/bin/erl";
/** Where Debian installs ejabberd's and its dependencies' Erlang applications (as ejabberdctl's ERL_LIBS). */
const ERL_LIBS = "/usr/lib/x86_64-linux-gnu";

/** Throws a clear error when ejabberd is not installed. */
export function assertInstalled(): void {
  if (!existsSync(ERL) || !existsSync("/usr/sbin/ejabberdctl")) {
    throw new Error(`ejabberd not found (${ERL}, /usr/sbin/ejabberdctl): run test/support/provision.sh`);
  }
}

/** A fresh node for one run in `dir`: its random name and cookie, and the environment of its `erl` calls. */
export function prepareNode(dir: string, configPath: string, logDir: string): { node: string; env: NodeJS.ProcessEnv } {
  // $HOME is the temp dir: the Erlang cookie of this node and its ctl calls only.
  writeFileSync(join(dir, ".erlang.cookie"), randomBytes(16).toString("hex"), { mode: 0o400 });
  const node = `porthole-ejabberd-${randomBytes(4).toString("hex")}@127.0.0.1`;
  const env: NodeJS.ProcessEnv = {
    HOME: dir,
    EJABBERD_CONFIG_PATH: configPath,
    EJABBERD_LOG_PATH: join(logDir, "ejabberd.log"),
    CONTRIB_MODULES_PATH: join(dir, "modules"),
    ERL_LIBS,
    ERL_CRASH_DUMP: join(logDir, "erl_crash.dump"),
    ERL_CRASH_DUMP_BYTES: "0",
    NOTIFY_SOCKET: undefined, // never talk to a systemd the test runner may run under
  };
  return { node, env };
}

/** `erl` arguments that start ejabberd as `node`, listening for distribution on 127.0.0.1:`distPort` only. */
export function serverArgs(node: string, distPort: number, dbDir: string): string[] {
  return [
    "-name",
    node,
    "-start_epmd",
    "false",
    "-erl_epmd_port",
    String(distPort),
    "-kernel",
    "inet_dist_use_interface",
    "{127,0,0,1}",
    "-noinput",
    "+K",
    "true",
    "-mnesia",
    "dir",
    JSON.stringify(dbDir), // an Erlang string: mkdtemp paths hold no quote or backslash
    "-s",
    "ejabberd",
  ];
}

/** Runs one ejabberdctl command (e.g. ["registered_users", "localhost"]) against the running `node`. */
export function runCtl(
  at: { node: string; distPort: number; dir: string; env: NodeJS.ProcessEnv },
  args: string[],
): { status: number | null; output: string } {
  const r = spawnSync(
    ERL,
    [
      "-name",
      `ctl-${randomBytes(4).toString("hex")}@127.0.0.1`,
      "-start_epmd",
      "false",
      "-erl_epmd_port",
      String(at.distPort),
      "-dist_listen",
      "false",
      "-hidden",
      "-noinput",
      "-s",
      "ejabberd_ctl",
      "-extra",
      at.node,
      ...args,
    ],
    { cwd: at.dir, env: { ...process.env, ...at.env }, encoding: "utf8", timeout: 30_000 },
  );
  return { status: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}
