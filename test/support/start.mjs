// `npm start`: builds the PWA and runs the whole local Porthole on 127.0.0.1 (local-stack.ts): Prosody
// with demo accounts and the echo contact, nginx-rtmp, and `wrangler dev` wired to them. Installs the
// Debian packages it needs first where it can (provision.sh stack). With PORTHOLE_LOCAL=0, or where those
// packages are missing and cannot be installed (no root or no apt-get), the worker starts alone, as
// `wrangler dev` would, after one line saying why. Ctrl+C (SIGINT) or SIGTERM stops every process it
// started. PORTHOLE_PORT sets the worker's port (default 8787; the local stack moves to a free port when
// that one is taken). Runs on the project's Node 24, which loads the TypeScript helpers directly (type stripping).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { registerHooks } from "node:module";

const root = new URL("../..", import.meta.url).pathname;
const t0 = Date.now();
const port = Number.parseInt(process.env.PORTHOLE_PORT ?? "8787", 10);
const say = (line) => console.log(`porthole: ${line}`);
if (!(port >= 1 && port <= 65535) || !/^\d*$/.test(process.env.PORTHOLE_PORT ?? "")) {
  say(`PORTHOLE_PORT must be a port number (1-65535), not ${JSON.stringify(process.env.PORTHOLE_PORT)}`);
  process.exit(2);
}
const since = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

// The helpers import each other without extensions, as the bundler-resolved test suites do.
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (err) {
      if (/^\.\.?\//.test(specifier) && !/\.[cm]?[jt]sx?$/.test(specifier)) return next(`${specifier}.ts`, context);
      throw err;
    }
  },
});

function run(what, cmd, args) {
  const t = Date.now();
  say(`${what}…`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status === 0) say(`${what}: done in ${since(t)}`);
  return r.status === 0;
}

const stackInstalled = () =>
  ["/usr/bin/prosody", "/usr/sbin/nginx"].every((f) => existsSync(f)) && existsSync("/usr/lib/nginx/modules/ngx_rtmp_module.so");
const canInstall = () => process.getuid?.() === 0 && spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;

/** Why the local stack cannot run here, or null when it can (installing what is missing). */
function localStackBlocked() {
  if (process.env.PORTHOLE_LOCAL === "0") return "PORTHOLE_LOCAL=0";
  if (!stackInstalled() && !canInstall()) {
    return "Prosody and nginx-rtmp are not installed and this user cannot install them (needs root and apt-get; see test/support/provision.sh)";
  }
  if (!run("system packages (Prosody, nginx-rtmp, ffmpeg, rtmpdump)", "bash", ["test/support/provision.sh", "stack"])) {
    return "installing the system packages failed (see above)";
  }
  return null;
}

/** The worker alone, attached to this terminal, as `wrangler dev` runs it. */
function workerAlone(reason) {
  say(`starting the worker alone, without the local chat and media servers: ${reason}.`);
  const child = spawn("npx", ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port)], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const forward = (sig) => child.kill(sig);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("exit", (code) => process.exit(code ?? 0));
}

async function localStack() {
  const { startLocalStack, readyBlock, stopLeftovers } = await import("./local-stack.ts");
  const left = stopLeftovers();
  if (left) say(`stopped ${left} process group(s) left behind by an earlier run`);
  let stack;
  let stopping = false;
  const shutdown = async (sig) => {
    if (stopping) {
      say("stopping now (second signal)");
      process.exit(130);
    }
    stopping = true;
    say(`${sig}: stopping the stack…`);
    const t = Date.now();
    await stack?.stop();
    say(`stopped in ${since(t)}`);
    process.exit(0);
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  const t = Date.now();
  try {
    stack = await startLocalStack((what) => say(`starting ${what}…`), port);
  } catch (err) {
    say(`the local stack did not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  say(`stack ready in ${since(t)} (${since(t0)} since npm start)`);
  console.log(readyBlock(stack));
  // From here on the worker's request log is this terminal's.
  stack.worker.proc.child.stdout?.pipe(process.stdout);
  stack.worker.proc.child.stderr?.pipe(process.stderr);
  stack.worker.proc.child.on("exit", (code) => {
    if (stopping) return;
    say(`wrangler dev exited (${code}); stopping the stack`);
    shutdown("exit");
  });
}

const blocked = localStackBlocked();
if (!run("building the PWA (vite)", "npm", ["run", "build", "--silent"])) process.exit(1);
if (blocked) workerAlone(blocked);
else await localStack();
