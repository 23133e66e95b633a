/**
 * The local Porthole that `npm start` runs on 127.0.0.1: a Prosody (domain `localhost`) with demo
 * accounts and the echo contact, an nginx-rtmp origin, and `wrangler dev` on the working tree wired to
 * both (`XMPP_WEBSOCKET_URL`, `RTMPT_ORIGINS=rtmp://…`: gateway mode). Each server is started by the
 * same helper the tests use (prosody.ts, nginx-rtmp.ts, wrangler-dev.ts, echo-bot.ts).
 *
 * State lives in one ignored folder, `.porthole/` at the project root, and survives a restart:
 * `accounts.json` (demo passwords, made once), `prosody/` (config, accounts, rosters, archives, log),
 * `nginx-rtmp/` (config, logs), `pids.json` (process groups of the running stack, so a stack left
 * behind by a killed `npm start` is stopped by the next one).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type EchoBot, startEchoBot } from "./echo-bot";
import { type NginxRtmp, portAccepts, startNginxRtmp } from "./nginx-rtmp";
import { ROOT } from "./process";
import { type ProsodyServer, startProsody } from "./prosody";
import { startWorker, type WorkerServer } from "./wrangler-dev";

export const STATE_DIR = join(ROOT, ".porthole");
export const DOMAIN = "localhost";
/** People who log in; `echo` is the demo contact. */
export const DEMO_USERS = ["alice", "bob"] as const;
export const ECHO_USER = "echo";
/** Ports tried first (the usual ones); a busy one is replaced by a free port. */
const PREFERRED = { worker: 8787, xmppHttp: 5280, xmppC2s: 5222, rtmp: 1935 };
/** Beyond the tests' default set: what a modern client expects of its server. */
const CHAT_MODULES = ["blocklist", "bookmarks", "pep", "private", "vcard4", "vcard_legacy", "offline", "time", "version"];

export interface LocalStack {
  url: string;
  accounts: Array<{ address: string; password: string }>;
  echo: string;
  prosody: ProsodyServer;
  nginx: NginxRtmp;
  worker: WorkerServer;
  bot: EchoBot;
  /** Stops everything it started, newest first; idempotent. */
  stop: () => Promise<void>;
}

type Passwords = Record<string, string>;

/** The demo passwords, made on the first start and kept (readable only by their owner). */
function loadPasswords(dir: string): { passwords: Passwords; created: boolean } {
  const file = join(dir, "accounts.json");
  if (existsSync(file)) return { passwords: JSON.parse(readFileSync(file, "utf8")) as Passwords, created: false };
  const passwords: Passwords = {};
  for (const user of [...DEMO_USERS, ECHO_USER]) passwords[user] = randomBytes(6).toString("base64url");
  writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  return { passwords, created: true };
}

/**
 * Rosters in Prosody's internal storage (data/<host>/roster/<user>.dat, as mod_roster keeps them):
 * each demo user and echo see each other with subscription "both", so echo is there at first login.
 */
function seedRosters(prosodyDir: string): void {
  const dir = join(prosodyDir, "data", DOMAIN, "roster");
  mkdirSync(dir, { recursive: true });
  const entry = (jid: string, name: string) =>
    `  [${JSON.stringify(jid)}] = { subscription = "both"; name = ${JSON.stringify(name)}; groups = {} };`;
  const write = (user: string, items: string[]) =>
    writeFileSync(join(dir, `${user}.dat`), `return {\n  [false] = { version = 1; pending = {} };\n${items.join("\n")}\n};\n`);
  const echoJid = `${ECHO_USER}@${DOMAIN}`;
  for (const user of DEMO_USERS) write(user, [entry(echoJid, "Echo")]);
  write(
    ECHO_USER,
    DEMO_USERS.map((u) => entry(`${u}@${DOMAIN}`, u)),
  );
}

/** Stops the process groups a previous run left behind (its `npm start` was killed), if still ours. */
export function stopLeftovers(dir = STATE_DIR): number {
  const file = join(dir, "pids.json");
  if (!existsSync(file)) return 0;
  let stopped = 0;
  for (const pid of JSON.parse(readFileSync(file, "utf8")) as number[]) {
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (!cmdline.includes(dir) && !cmdline.includes("wrangler")) continue;
    try {
      process.kill(-pid, "SIGKILL");
      stopped++;
    } catch {}
  }
  rmSync(file, { force: true });
  return stopped;
}

async function freeOr(preferred: number): Promise<number | undefined> {
  return (await portAccepts(preferred)) ? undefined : preferred;
}

/** Starts the stack; `step` is told what is being started. On failure, what was started is stopped. */
export async function startLocalStack(
  step: (what: string) => void = () => {},
  workerPort = PREFERRED.worker,
): Promise<LocalStack> {
  mkdirSync(STATE_DIR, { recursive: true });
  const { passwords, created } = loadPasswords(STATE_DIR);
  const prosodyDir = join(STATE_DIR, "prosody");
  if (created) {
    rmSync(prosodyDir, { recursive: true, force: true });
    seedRosters(prosodyDir);
  }
  const started: Array<{ stop: () => Promise<void> }> = [];
  const stop = async () => {
    for (const s of started.splice(0).reverse()) await s.stop().catch(() => {});
    rmSync(join(STATE_DIR, "pids.json"), { force: true });
  };
  const pids: number[] = [];
  const remember = (pid: number | undefined) => {
    if (pid) pids.push(pid);
    writeFileSync(join(STATE_DIR, "pids.json"), JSON.stringify(pids));
  };
  try {
    step("chat server (Prosody)");
    const prosody = await startProsody({
      dir: prosodyDir,
      domain: DOMAIN,
      users: passwords,
      modules: CHAT_MODULES,
      httpPort: await freeOr(PREFERRED.xmppHttp),
      c2sPort: await freeOr(PREFERRED.xmppC2s),
      settings: { archive_expires_after: '"4w"', smacks_hibernation_time: "300" },
    });
    started.push(prosody);
    remember(prosody.pid());

    step("media server (nginx-rtmp)");
    const nginx = await startNginxRtmp({ dir: join(STATE_DIR, "nginx-rtmp"), preferredPort: PREFERRED.rtmp });
    started.push(nginx);
    remember(nginx.proc.child.pid);

    step(`echo contact (${ECHO_USER}@${DOMAIN})`);
    const bot = await startEchoBot({
      service: prosody.wsUrl,
      domain: DOMAIN,
      username: ECHO_USER,
      password: passwords[ECHO_USER] ?? "",
    });
    started.push(bot);

    step("worker (wrangler dev)");
    const worker = await startWorker(
      { XMPP_WEBSOCKET_URL: prosody.wsUrl, RTMPT_ORIGINS: nginx.origin },
      { snapshot: false, port: (await freeOr(workerPort)) ?? undefined },
    );
    started.push(worker);
    remember(worker.proc.child.pid);

    return {
      url: `${worker.url}/`,
      accounts: DEMO_USERS.map((u) => ({ address: `${u}@${DOMAIN}`, password: passwords[u] ?? "" })),
      echo: `${ECHO_USER}@${DOMAIN}`,
      prosody,
      nginx,
      worker,
      bot,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The terminal block printed when the stack is ready; scripts read its `Open:` and `Login:` lines. */
export function readyBlock(stack: LocalStack): string {
  const rtmpt = `rtmpt://127.0.0.1:${stack.worker.port}/live/demo`;
  return [
    "",
    "Porthole is running on 127.0.0.1 (local chat and media servers; state in .porthole/).",
    "",
    `Open: ${stack.url}`,
    ...stack.accounts.map((a) => `Login: ${a.address} / ${a.password}`),
    "",
    `Chat: log in as ${stack.accounts[0]?.address} and write to ${stack.echo} (already a contact): it answers.`,
    "",
    "Publish a test stream through the worker (RTMPT):",
    `  ffmpeg -re -f lavfi -i testsrc2=size=640x360:rate=30 -f lavfi -i sine=frequency=440 -c:v libx264 -preset veryfast -tune zerolatency -g 60 -c:a aac -f flv ${rtmpt}`,
    "Play it back through the worker:",
    `  ffplay ${rtmpt}`,
    `  ffmpeg -i ${rtmpt} -c copy demo.flv      (or: rtmpdump -r ${rtmpt} --live -o demo.flv)`,
    "",
    `Health: ${stack.worker.url}/healthz`,
    "Stop: Ctrl+C (stops every process of the stack)",
    "",
  ].join("\n");
}
