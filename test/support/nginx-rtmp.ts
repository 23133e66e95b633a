/**
 * A real RTMP origin for end-to-end tests: Debian nginx with `libnginx-mod-rtmp` (ngx_rtmp_module),
 * listening on a free 127.0.0.1 port, config and logs in a temp dir, one process (no master), stopped by PID.
 * Application `live` (live on) accepts publish and play of `rtmp://127.0.0.1:<port>/live/<name>`.
 * With `{ stat: true }` an http server on another free port serves ngx_rtmp_stat_module's XML
 * (`rtmp_stat all`) at /stat, from which `playClients(name)` counts the stream's players.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort, type Proc, startProcess, tempDir, waitFor } from "./process";

export interface NginxRtmp {
  port: number;
  /** `rtmp://127.0.0.1:<port>` — the value for RTMPT_ORIGINS. */
  origin: string;
  dir: string;
  proc: Proc;
  /** The nginx error log so far (useful in assertion messages). */
  errorLog: () => string;
  /** Graceful stop (SIGTERM to the process group), waits for exit. */
  stop: () => Promise<void>;
  /** Abrupt death (SIGKILL), as a crashed origin; waits for exit. */
  kill: () => Promise<void>;
  /** With `stat`: the http port of /stat. */
  statPort?: number;
  /** With `stat`: players (clients not publishing) of stream `name` in application live now. */
  playClients: (name: string) => Promise<number>;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAccepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

export interface NginxRtmpOptions {
  /** Extra directives appended inside `application live { ... }` (e.g. "drop_idle_publisher 10s;"). */
  liveDirectives?: string;
  /** Port to listen on when it is free (default: any free port). */
  preferredPort?: number;
  /** Directory for config and logs (default: a new temp dir). */
  dir?: string;
  /** Also serve the rtmp stat page (`rtmp_stat all`) on a free http port. */
  stat?: boolean;
}

/** Players of `name` in the stat XML: `<client>` entries of its `<stream>` without `<publishing/>`. */
export function countPlayers(xml: string, name: string): number {
  for (const stream of xml.split("<stream>").slice(1)) {
    const body = stream.split("</stream>")[0] ?? "";
    if (!body.includes(`<name>${name}</name>`)) continue;
    return body
      .split("<client>")
      .slice(1)
      .filter((c) => !(c.split("</client>")[0] ?? "").includes("<publishing/>")).length;
  }
  return 0;
}

export async function startNginxRtmp(opts: NginxRtmpOptions = {}): Promise<NginxRtmp> {
  const preferred = opts.preferredPort;
  const port = preferred !== undefined && !(await portAccepts(preferred)) ? preferred : await freePort();
  const dir = opts.dir ?? tempDir("nginx-rtmp");
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, "nginx.conf");
  const statPort = opts.stat ? await freePort() : undefined;
  const statBlock =
    statPort === undefined
      ? []
      : [
          "http {",
          "  access_log off;",
          `  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;`,
          `  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
          `  server { listen 127.0.0.1:${statPort}; location /stat { rtmp_stat all; } }`,
          "}",
        ];
  writeFileSync(
    conf,
    [
      "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;",
      "daemon off;",
      "master_process off;",
      "worker_processes 1;",
      `error_log ${join(dir, "error.log")} info;`,
      `pid ${join(dir, "nginx.pid")};`,
      "events { worker_connections 1024; }",
      "rtmp {",
      "  server {",
      `    listen 127.0.0.1:${port};`,
      "    chunk_size 4096;",
      "    application live {",
      "      live on;",
      "      record off;",
      `      ${opts.liveDirectives ?? ""}`,
      "    }",
      "  }",
      "}",
      ...statBlock,
      "",
    ].join("\n"),
  );
  // -p sets the prefix (relative paths, temp dirs); -e (nginx >= 1.19.5) keeps the startup error log
  // out of /var/log/nginx, which an unprivileged user cannot open.
  const proc = startProcess("nginx", ["-p", `${dir}/`, "-e", join(dir, "startup-error.log"), "-c", conf]);
  const errorLog = () => {
    let text = "";
    for (const f of ["startup-error.log", "error.log"]) {
      try {
        text += readFileSync(join(dir, f), "utf8");
      } catch {}
    }
    return text;
  };
  try {
    await waitFor("nginx-rtmp", () => portAccepts(port), 20_000, proc);
  } catch (err) {
    await proc.stop();
    throw new Error(`${String(err)}\n${errorLog().slice(-4000)}`);
  }
  const playClients = async (name: string) => {
    if (statPort === undefined) throw new Error("nginx-rtmp started without { stat: true }");
    const res = await fetch(`http://127.0.0.1:${statPort}/stat`);
    return countPlayers(await res.text(), name);
  };
  return {
    port,
    origin: `rtmp://127.0.0.1:${port}`,
    dir,
    proc,
    errorLog,
    stop: () => proc.stop(),
    kill: () => proc.kill(),
    statPort,
    playClients,
  };
}
