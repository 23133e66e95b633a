/**
 * A real Prosody (Debian's 0.12) for end-to-end tests, on free 127.0.0.1 ports, config and data in a
 * temp dir, stopped by PID. XMPP over WebSocket (RFC 7395) on `wsUrl`, plain c2s (RFC 6120) on
 * `c2sPort`; no TLS, no s2s. Modules: websocket, smacks (XEP-0198), carbons (XEP-0280), mam (XEP-0313),
 * csi_simple (XEP-0352), ping (XEP-0199), roster, presence, disco, saslauth; with `fileShare`, the
 * HTTP File Upload component (XEP-0363, mod_http_file_share).
 *
 * Usage:
 *   const xmpp = await startProsody({ users: { alice: "pw1", bob: "pw2" } });
 *   // xmpp.wsUrl = "ws://127.0.0.1:<port>/xmpp-websocket", JIDs are `alice@${xmpp.domain}`
 *   await xmpp.restart();  // fault tests: same ports, same accounts and archives
 *   await xmpp.stop();     // in afterAll; idempotent
 *
 * Ports are free ones picked at start (or `httpPort` / `c2sPort` if given); if another process takes one
 * before Prosody binds it, the first start moves to other free ports (readiness checks Prosody's own
 * "Activated service" lines, so a stranger on the port is never mistaken for it). restart() keeps them.
 *
 * Logs: `output()` (console, info and up) and `${dir}/prosody.log` (debug). Accounts can be added while
 * it runs with `register()` (prosodyctl writes the same storage the server reads).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort, type Proc, startProcess, tempDir, waitFor } from "./process";

export interface ProsodyOptions {
  /** Accounts created before the server starts: user (local part) → password. */
  users?: Record<string, string>;
  /** Virtual host (the JID domain). Default "localhost". */
  domain?: string;
  /** Extra Lua config lines appended to the global section (before the VirtualHost). */
  extraConfig?: string;
  /**
   * HTTP File Upload (XEP-0363, Prosody 0.12's mod_http_file_share) as the component `upload.<domain>`,
   * served on this Prosody's HTTP port under `/upload/` for Host 127.0.0.1, its slot URLs on
   * `externalUrl` (e.g. the worker's origin, so they read `<externalUrl>upload/<slot>/<name>`), files up
   * to `sizeLimit` bytes.
   */
  fileShare?: { externalUrl: string; sizeLimit?: number };
  /** Preferred ports for the first try (default: free ones); if taken, other free ports are used. */
  httpPort?: number;
  c2sPort?: number;
  /** How long to wait for readiness on (re)start. Default 30 s. */
  readyTimeoutMs?: number;
  /** Lua values for the tunable settings (archive_expires_after, smacks_hibernation_time, ...). */
  settings?: Record<string, string>;
  /** Modules enabled beside the default set (e.g. "blocklist", "bookmarks", "vcard_legacy"). */
  modules?: string[];
  /**
   * External components (XEP-0114) to accept on a free component port: domain → shared secret, e.g.
   * `{ "push.localhost": "secret" }`. The port is `componentPort` of the server.
   */
  components?: Record<string, string>;
  /**
   * Directory for config, data and logs. Default: a new temp dir. Given, its data (accounts, rosters,
   * archives) survives the server and the next start with the same directory.
   */
  dir?: string;
  /**
   * MUC services (XEP-0045), each a Prosody component `<name>.<domain>` with mod_muc_mam: name → its
   * Lua settings, e.g. `{ conference: {}, locked: { restrict_room_creation: "true" } }`; a `modules_enabled`
   * setting replaces the default `{ "muc_mam" }` (e.g. `{ "muc_mam", "muc_moderation" }`).
   */
  muc?: Record<string, Record<string, string>>;
}

export interface ProsodyServer {
  /** The XMPP domain, e.g. "localhost"; JIDs are `user@domain`. */
  domain: string;
  /** RFC 7395 endpoint, e.g. "ws://127.0.0.1:40123/xmpp-websocket". */
  wsUrl: string;
  httpPort: number;
  c2sPort: number;
  /** XEP-0114 component port on 127.0.0.1 (0 without `components`). */
  componentPort: number;
  /** Temp dir holding prosody.cfg.lua, data/, prosody.log and prosody.pid. */
  dir: string;
  configPath: string;
  /** PID of the running server, or undefined while stopped. */
  pid: () => number | undefined;
  /** Console output of the current run (info and up). */
  output: () => string;
  /** Creates (or resets the password of) an account; works whether the server runs or not. */
  register: (user: string, password: string) => void;
  /** Stops the server (SIGTERM to its process group, SIGKILL after 5 s) and waits for it to exit. */
  stop: () => Promise<void>;
  /** Kills the server at once (SIGKILL), like a crash: clients see their TCP connections reset. */
  kill: () => Promise<void>;
  /** Starts the server again on the same ports with the same data (after stop/kill; stops it first if running). */
  restart: () => Promise<void>;
}

const PROSODY = "/usr/bin/prosody";
const PROSODYCTL = "/usr/bin/prosodyctl";

const MODULES = ["websocket", "smacks", "carbons", "mam", "csi_simple", "ping", "roster", "presence", "disco", "saslauth"];

/** Settings a caller may change (`settings`), as Lua values; Prosody refuses an option set twice. */
const TUNABLE: Record<string, string> = {
  archive_expires_after: '"1d"',
  default_archive_policy: "true",
  smacks_hibernation_time: "60",
};

function lua(s: string): string {
  return JSON.stringify(s); // a JSON string literal is a valid Lua string literal for these paths
}

function configText(o: {
  dir: string;
  domain: string;
  httpPort: number;
  c2sPort: number;
  modules: string[];
  settings: Record<string, string>;
  extra: string;
  componentPort: number;
  components: Record<string, string>;
  muc: Record<string, Record<string, string>>;
  fileShare?: ProsodyOptions["fileShare"];
}): string {
  const { dir } = o;
  return `-- Generated by test/support/prosody.ts for one test run.
run_as_root = true
pidfile = ${lua(join(dir, "prosody.pid"))}
data_path = ${lua(join(dir, "data"))}
certificates = ${lua(join(dir, "certs"))}
log = {
  { levels = { min = "info" }, to = "console" };
  { levels = { min = "debug" }, to = "file", filename = ${lua(join(dir, "prosody.log"))} };
}

interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { ${o.c2sPort} }
c2s_interfaces = { "127.0.0.1" }
c2s_direct_tls_ports = { }
s2s_ports = { }
s2s_interfaces = { }
component_ports = { ${o.componentPort || ""} }
component_interfaces = { "127.0.0.1" }
http_ports = { ${o.httpPort} }
http_interfaces = { "127.0.0.1" }
https_ports = { }
https_interfaces = { }

modules_enabled = { ${o.modules.map((m) => lua(m)).join(", ")} }
modules_disabled = { "s2s", "s2s_auth_certs", "tls" }

authentication = "internal_hashed"
storage = "internal"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
consider_websocket_secure = true
trusted_proxies = { "127.0.0.1", "::1" }
${Object.entries({ ...TUNABLE, ...o.settings })
  .map(([k, v]) => `${k} = ${v}`)
  .join("\n")}
${o.extra}

VirtualHost ${lua(o.domain)}
${Object.entries(o.components)
  .map(([jid, secret]) => `\nComponent ${lua(jid)}\n  component_secret = ${lua(secret)}\n`)
  .join("")}${Object.entries(o.muc)
  .map(
    ([name, { modules_enabled, ...settings }]) =>
      `\nComponent ${lua(`${name}.${o.domain}`)} "muc"\nmodules_enabled = ${modules_enabled ?? '{ "muc_mam" }'}\n${Object.entries(
        settings,
      )
        .map(([k, v]) => `${k} = ${v}`)
        .join("\n")}`,
  )
  .join("\n")}
${
  o.fileShare
    ? `
Component ${lua(`upload.${o.domain}`)} "http_file_share"
  http_host = "127.0.0.1"
  http_external_url = ${lua(o.fileShare.externalUrl)}
  http_paths = { file_share = "/upload" }
  http_file_share_size_limit = ${o.fileShare.sizeLimit ?? 10 * 1024 * 1024}
`
    : ""
}`;
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** Starts Prosody and waits until both its HTTP (WebSocket) and c2s ports answer. */
export async function startProsody(opts: ProsodyOptions = {}): Promise<ProsodyServer> {
  const domain = opts.domain ?? "localhost";
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const dir = opts.dir ?? tempDir("prosody");
  const modules = [...new Set([...MODULES, ...(opts.modules ?? [])])];
  mkdirSync(join(dir, "data"), { recursive: true });
  mkdirSync(join(dir, "certs"), { recursive: true });
  if (!existsSync(PROSODY) || !existsSync(PROSODYCTL)) {
    throw new Error(`Prosody not found (${PROSODY}, ${PROSODYCTL}): run test/support/provision.sh`);
  }
  const configPath = join(dir, "prosody.cfg.lua");
  let httpPort = 0;
  let c2sPort = 0;
  let componentPort = 0;
  const components = opts.components ?? {};
  const pickPorts = async (preferred: { httpPort?: number; c2sPort?: number } = {}): Promise<void> => {
    httpPort = preferred.httpPort ?? (await freePort());
    do c2sPort = preferred.c2sPort ?? (await freePort());
    while (c2sPort === httpPort && preferred.c2sPort === undefined);
    if (Object.keys(components).length > 0) {
      do componentPort = await freePort();
      while (componentPort === httpPort || componentPort === c2sPort);
    }
    writeFileSync(
      configPath,
      configText({
        dir,
        domain,
        httpPort,
        c2sPort,
        modules,
        settings: opts.settings ?? {},
        extra: opts.extraConfig ?? "",
        componentPort,
        components,
        muc: opts.muc ?? {},
        fileShare: opts.fileShare,
      }),
    );
  };
  await pickPorts(opts);

  const register = (user: string, password: string): void => {
    const r = spawnSync(PROSODYCTL, ["--config", configPath, "register", user, domain, password], {
      encoding: "utf8",
      timeout: 30_000,
    });
    if (r.status !== 0) {
      throw new Error(`prosodyctl register ${user}@${domain} failed (${r.status}): ${r.stdout}${r.stderr}`);
    }
  };
  for (const [user, password] of Object.entries(opts.users ?? {})) register(user, password);

  let proc: Proc | undefined;
  let lastOutput = "";
  /** One start; "port-in-use" when another process holds one of our ports (Prosody keeps running without it). */
  const startOnce = async (): Promise<"ok" | "port-in-use"> => {
    const p = startProcess(PROSODY, ["--config", configPath, "-F"], { cwd: dir });
    proc = p;
    // Ours, not a stranger on the same port: Prosody says it bound both ports, then the HTTP side answers.
    const bound = (service: string, port: number) => p.output().includes(`Activated service '${service}' on [127.0.0.1]:${port}`);
    try {
      await waitFor(
        `prosody on 127.0.0.1:${httpPort} (http) and :${c2sPort} (c2s)`,
        async () => {
          if (p.output().includes("Failed to open server port")) return true;
          return (
            bound("http", httpPort) &&
            bound("c2s", c2sPort) &&
            (componentPort === 0 || bound("component", componentPort)) &&
            (await fetch(`http://127.0.0.1:${httpPort}/xmpp-websocket`)).status === 200 &&
            (await tcpOpen(c2sPort))
          );
        },
        readyTimeoutMs,
        p,
      );
      if (!p.output().includes("Failed to open server port")) return "ok";
      lastOutput = p.output();
      await p.stop();
      proc = undefined;
      return "port-in-use";
    } catch (e) {
      await p.stop();
      proc = undefined;
      let log = "";
      try {
        log = readFileSync(join(dir, "prosody.log"), "utf8").slice(-4000);
      } catch {}
      throw new Error(`${(e as Error).message}\n--- prosody.log ---\n${log}`);
    }
  };
  /** Restarts keep their ports (clients reconnect to the same URL); only the first start may move. */
  const start = async (firstStart = false): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      if ((await startOnce()) === "ok") return;
      if (!firstStart || attempt >= 3) {
        throw new Error(`prosody: port ${httpPort} or ${c2sPort} is in use by another process\n${lastOutput}`);
      }
      await pickPorts();
    }
  };
  const running = (): boolean => proc !== undefined && proc.child.exitCode === null && proc.child.signalCode === null;
  const stop = async (): Promise<void> => {
    const p = proc;
    proc = undefined;
    await p?.stop();
  };
  const kill = async (): Promise<void> => {
    const p = proc;
    proc = undefined;
    await p?.kill();
  };

  await start(true);
  return {
    domain,
    wsUrl: `ws://127.0.0.1:${httpPort}/xmpp-websocket`,
    httpPort,
    c2sPort,
    get componentPort() {
      return componentPort;
    },
    dir,
    configPath,
    pid: () => (running() ? proc?.child.pid : undefined),
    output: () => proc?.output() ?? "",
    register,
    stop,
    kill,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
