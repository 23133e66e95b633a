/**
 * A real ejabberd (Debian's 23.01) for end-to-end tests, on free 127.0.0.1 ports, config, Mnesia spool,
 * logs and Erlang cookie in a temp dir, stopped by PID. XMPP over WebSocket (RFC 7395) on `wsUrl`
 * (ejabberd_http with ejabberd_http_ws), plain c2s (RFC 6120) on `c2sPort`; no TLS, no s2s.
 * Modules: disco, ping (XEP-0199), roster, stream_mgmt (XEP-0198), carboncopy (XEP-0280),
 * client_state (XEP-0352), mam (XEP-0313, Mnesia).
 *
 * Usage:
 *   const xmpp = await startEjabberd({ users: { alice: "pw1", bob: "pw2" } });
 *   // xmpp.wsUrl = "ws://127.0.0.1:<port>/xmpp-websocket", JIDs are `alice@${xmpp.domain}`
 *   await xmpp.restart();  // same ports, node name and spool: same accounts
 *   await xmpp.stop();     // in afterAll; idempotent
 *
 * The system service and /etc/ejabberd are never used: `erl` is started directly as ejabberdctl's
 * `foreground` would (its `su ejabberd` and /etc/default/ejabberd left out), with its own node name
 * (`porthole-ejabberd-<random>@127.0.0.1`), cookie ($HOME = the temp dir) and Erlang distribution port
 * on 127.0.0.1 without epmd (`-erl_epmd_port`), so nothing outlives stop(). Accounts are created through
 * that node with ejabberd_ctl, as `ejabberdctl register` does: the server must be running.
 *
 * Ports are free ones picked at start (or `httpPort` / `c2sPort` if given); if another process takes one
 * before ejabberd binds it (ejabberd then exits with "address already in use"), the first start moves
 * to other free ports. restart() keeps them.
 *
 * Logs: `output()` (console, info and up) and `${dir}/logs/ejabberd.log`.
 * This module runs the server (ports, readiness, stop/kill/restart); ejabberd-config.ts writes its
 * ejabberd.yml and ejabberd-node.ts holds the `erl` command lines.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { configText, UPLOAD_PATH, WS_PATH } from "./ejabberd-config";
import { assertInstalled, ERL, prepareNode, runCtl, serverArgs } from "./ejabberd-node";
import { freePort, type Proc, startProcess, tempDir, waitFor } from "./process";

export { UPLOAD_PATH, WS_PATH };

export interface EjabberdOptions {
  /** Accounts created once the server runs: user (local part) → password. */
  users?: Record<string, string>;
  /** Virtual host (the JID domain). Default "localhost". */
  domain?: string;
  /** `websocket_origin`: the only Origins accepted on the WebSocket (default: not set, any Origin). */
  websocketOrigin?: string[];
  /** Extra top-level YAML lines appended to the config (before `modules:`). */
  extraConfig?: string;
  /** Preferred ports for the first try (default: free ones); if taken, other free ports are used. */
  httpPort?: number;
  c2sPort?: number;
  /** How long to wait for readiness on (re)start. Default 60 s. */
  readyTimeoutMs?: number;
  /** Modules beside the default set, as YAML lines (e.g. "mod_push: {include_sender: true}"). */
  modules?: string[];
  /** XEP-0114 components (ejabberd_service) on a free port, `componentPort`: domain → password. */
  components?: Record<string, string>;
  /**
   * HTTP File Upload (XEP-0363, mod_http_upload as `upload.<domain>`) on the HTTP port under
   * `/upload`; its slot URLs are `${publicUrl}/<sha1 of the JID>/<random>/<file name>`.
   */
  upload?: { publicUrl: string; maxSize?: number; customHeaders?: Record<string, string> };
}

export interface EjabberdServer {
  /** The XMPP domain, e.g. "localhost"; JIDs are `user@domain`. */
  domain: string;
  /** RFC 7395 endpoint, e.g. "ws://127.0.0.1:40123/xmpp-websocket". */
  wsUrl: string;
  httpPort: number;
  c2sPort: number;
  /** XEP-0114 component port on 127.0.0.1 (0 without `components`). */
  componentPort: number;
  /** Erlang node name, e.g. "porthole-ejabberd-1a2b3c@127.0.0.1". */
  node: string;
  /** Temp dir holding ejabberd.yml, db/ (Mnesia), logs/ and .erlang.cookie. */
  dir: string;
  configPath: string;
  /** PID of the running server, or undefined while stopped. */
  pid: () => number | undefined;
  /** Console output of the current run (info and up). */
  output: () => string;
  /** Creates (or resets the password of) an account; the server must be running. */
  register: (user: string, password: string) => void;
  /** Runs one ejabberdctl command against this node (e.g. ["registered_users", "localhost"]). */
  ctl: (args: string[]) => { status: number | null; output: string };
  /** Stops the server (SIGTERM to its process group, SIGKILL after 5 s) and waits for it to exit. */
  stop: () => Promise<void>;
  /** Kills the server at once (SIGKILL), like a crash: clients see their TCP connections reset. */
  kill: () => Promise<void>;
  /** Starts the server again on the same ports with the same data (after stop/kill; stops it first if running). */
  restart: () => Promise<void>;
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

const PORT_IN_USE = /address already in use|eaddrinuse/i;

/** Starts ejabberd, waits until its HTTP (WebSocket) and c2s listeners accept, then registers `users`. */
export async function startEjabberd(opts: EjabberdOptions = {}): Promise<EjabberdServer> {
  const domain = opts.domain ?? "localhost";
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  assertInstalled();
  const dir = tempDir("ejabberd");
  const dbDir = join(dir, "db");
  const logDir = join(dir, "logs");
  mkdirSync(dbDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const configPath = join(dir, "ejabberd.yml");
  const { node, env } = prepareNode(dir, configPath, logDir);

  let httpPort = 0;
  let c2sPort = 0;
  let distPort = 0;
  let componentPort = 0;
  const pickPorts = async (preferred: { httpPort?: number; c2sPort?: number } = {}): Promise<void> => {
    const taken = new Set<number>();
    const pick = async (want?: number): Promise<number> => {
      let p = want ?? (await freePort());
      while (taken.has(p)) p = await freePort();
      taken.add(p);
      return p;
    };
    httpPort = await pick(preferred.httpPort);
    c2sPort = await pick(preferred.c2sPort);
    distPort = await pick();
    componentPort = Object.keys(opts.components ?? {}).length > 0 ? await pick() : 0;
    writeFileSync(
      configPath,
      configText({
        domain,
        httpPort,
        c2sPort,
        websocketOrigin: opts.websocketOrigin,
        extra: opts.extraConfig ?? "",
        modules: opts.modules,
        components: opts.components,
        componentPort,
        upload: opts.upload && {
          publicUrl: opts.upload.publicUrl.replace(/\/+$/, ""),
          docroot: join(dir, "upload"),
          maxSize: opts.upload.maxSize ?? 10_000_000,
          customHeaders: opts.upload.customHeaders,
        },
      }),
    );
  };
  await pickPorts(opts);

  let proc: Proc | undefined;
  const running = (): boolean => proc !== undefined && proc.child.exitCode === null && proc.child.signalCode === null;

  const ctl = (args: string[]) => runCtl({ node, distPort, dir, env }, args);
  const register = (user: string, password: string): void => {
    if (!running()) throw new Error(`ejabberd register ${user}@${domain}: the server is not running`);
    let r = ctl(["register", user, domain, password]);
    if (r.status !== 0 && r.output.includes("already registered")) r = ctl(["change_password", user, domain, password]);
    if (r.status !== 0) throw new Error(`ejabberdctl register ${user}@${domain} failed (${r.status}): ${r.output}`);
  };

  /** One start; "port-in-use" when another process holds one of our ports (ejabberd then exits). */
  const startOnce = async (): Promise<"ok" | "port-in-use"> => {
    const p = startProcess(ERL, serverArgs(node, distPort, dbDir), { cwd: dir, env });
    proc = p;
    // Ours, not a stranger on the same port: ejabberd says it listens on both, then the HTTP side answers.
    const listening = (module: string, port: number) =>
      p.output().includes(`Start accepting TCP connections at 127.0.0.1:${port} for ${module}`);
    let wsStatus = 0;
    try {
      await waitFor(
        `ejabberd on 127.0.0.1:${httpPort} (http) and :${c2sPort} (c2s)`,
        async () => {
          if (!listening("ejabberd_http", httpPort) || !listening("ejabberd_c2s", c2sPort)) return false;
          if (componentPort && !listening("ejabberd_service", componentPort)) return false;
          // ejabberd_http_ws answers a plain GET with its info page; anything else is a final answer.
          wsStatus = (await fetch(`http://127.0.0.1:${httpPort}${WS_PATH}`)).status;
          return wsStatus !== 200 || (await tcpOpen(c2sPort));
        },
        readyTimeoutMs,
        p,
      );
      if (wsStatus !== 200) {
        await p.stop();
        proc = undefined;
        throw new Error(`ejabberd answers ${wsStatus} on ${WS_PATH}: no ejabberd_http_ws there (request_handlers)`);
      }
      return "ok";
    } catch (e) {
      await p.stop();
      proc = undefined;
      if (PORT_IN_USE.test(p.output())) return "port-in-use";
      let log = "";
      try {
        log = readFileSync(join(logDir, "ejabberd.log"), "utf8").slice(-4000);
      } catch {}
      throw new Error(`${(e as Error).message}\n--- ejabberd.log ---\n${log}`);
    }
  };
  /** Restarts keep their ports (clients reconnect to the same URL); only the first start may move. */
  const start = async (firstStart = false): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      if ((await startOnce()) === "ok") return;
      if (!firstStart || attempt >= 3) {
        throw new Error(`ejabberd: port ${httpPort}, ${c2sPort} or ${distPort} is in use by another process`);
      }
      await pickPorts();
    }
  };
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
  try {
    for (const [user, password] of Object.entries(opts.users ?? {})) register(user, password);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    domain,
    wsUrl: `ws://127.0.0.1:${httpPort}${WS_PATH}`,
    httpPort,
    c2sPort,
    get componentPort() {
      return componentPort;
    },
    node,
    dir,
    configPath,
    pid: () => (running() ? proc?.child.pid : undefined),
    output: () => proc?.output() ?? "",
    register,
    ctl,
    stop,
    kill,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
