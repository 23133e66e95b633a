/**
 * Debian nginx as plain HTTP servers for the RTMPT proxy benchmark: a minimal RTMPT-shaped origin
 * (answers /open with an id and every other request with one polling byte, Content-Length always),
 * and the classic alternative to Porthole, nginx `proxy_pass` of the five prefixes to that origin
 * (keep-alive upstream, no buffering), exactly the seed article's ProxyPass recipe in nginx form.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { portAccepts } from "../support/nginx-rtmp";
import { freePort, startProcess, tempDir, waitFor } from "../support/process";

export interface NginxHttp {
  port: number;
  url: string;
  /** nginx runs as one process (master_process off), the leader of its own process group. */
  pid: number | undefined;
  stop: () => Promise<void>;
}

/**
 * `defaults` keeps nginx's own keep-alive settings towards clients (keepalive_requests 1000,
 * keepalive_timeout 75s); otherwise a connection serves any number of requests, so that load
 * generators never reconnect.
 */
async function startNginx(name: string, server: string, defaults = false): Promise<NginxHttp> {
  const dir = tempDir(name);
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    [
      "daemon off;",
      "master_process off;",
      "worker_processes 1;",
      `error_log ${join(dir, "error.log")} warn;`,
      `pid ${join(dir, "nginx.pid")};`,
      "events { worker_connections 4096; }",
      "http {",
      "  access_log off;",
      `  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;`,
      `  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
      ...(defaults ? [] : ["  keepalive_requests 1000000;"]),
      server.replaceAll("PORT", String(port)),
      "}",
    ].join("\n"),
  );
  const proc = startProcess("nginx", ["-p", `${dir}/`, "-e", join(dir, "startup-error.log"), "-c", conf]);
  await waitFor(name, () => portAccepts(port), 20_000, proc);
  return { port, url: `http://127.0.0.1:${port}`, pid: proc.child.pid, stop: () => proc.stop() };
}

/** An RTMPT-shaped origin: `/open/1` → `<id>\n`, `/send|idle|close/...` → one byte, application/x-fcs. */
export function startRtmptShapedOrigin(): Promise<NginxHttp> {
  return startNginx(
    "bench-origin",
    `  server { listen 127.0.0.1:PORT;
    default_type application/x-fcs;
    location ~ ^/open/ { return 200 "benchsession1\\n"; }
    location ~ ^/(send|idle|close)/ { return 200 "1"; }
    location / { return 404; } }`,
  );
}

/**
 * nginx proxy_pass of the five RTMPT prefixes to `origin` (an alternative Porthole is measured against);
 * `defaults`: nginx's default keep-alive towards clients (see startNginx).
 */
export function startNginxProxy(originPort: number, defaults = false): Promise<NginxHttp> {
  return startNginx(
    "bench-proxy",
    `  upstream origin { server 127.0.0.1:${originPort}; keepalive 64; }
  server { listen 127.0.0.1:PORT;
    location ~ ^/(fcs|open|send|idle|close)(/|$) {
      proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_buffering off; proxy_request_buffering off; } }`,
    defaults,
  );
}
