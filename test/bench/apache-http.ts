/**
 * Debian's Apache 2.4 (apache2, mpm_event, mod_proxy + mod_proxy_http) configured as the classic
 * "Apache and a media server on port 80" recipe does: in the virtual host, `ProxyPass` and
 * `ProxyPassReverse` of /open, /send, /idle, /close and /fcs to the media server, and a `<Proxy *:80>`
 * block with `Order Allow,Deny` / `Allow from all` (mod_access_compat). Only the upstream address is
 * this run's origin (127.0.0.1:<port> for the article's localhost:1935) and the listener a free port.
 * Everything else is Debian's shipped default: apache2.conf's `Timeout 300`, `KeepAlive On`,
 * `MaxKeepAliveRequests 100`, `KeepAliveTimeout 5`, and mods-available/mpm_event.conf as installed.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { portAccepts } from "../support/nginx-rtmp";
import { freePort, type Proc, startProcess, tempDir, waitFor } from "../support/process";

export interface ApacheHttp {
  port: number;
  url: string;
  proc: Proc;
  stop: () => Promise<void>;
}

const MODULES = "/usr/lib/apache2/modules";
const PREFIXES = ["open", "send", "idle", "close", "fcs"];

/** The article's block, with its origin (`localhost:1935`) replaced by `upstream`. */
export function seedRecipe(upstream: string): string[] {
  const lines = ["# Allow FMS to act as a reverse proxy for Wowza traffic over port 80"];
  for (const p of PREFIXES) {
    lines.push(`ProxyPass /${p} http://${upstream}/${p}`, `ProxyPassReverse /${p} http://${upstream}/${p}`);
  }
  lines.push("<Proxy *:80>", "    Order Allow,Deny", "    Allow from all", "</Proxy>");
  return lines;
}

export async function startApacheProxy(originPort: number): Promise<ApacheHttp> {
  if (!existsSync(join(MODULES, "mod_proxy_http.so"))) {
    throw new Error("Apache 2.4 with mod_proxy_http is missing: run `bash test/support/provision.sh bench`");
  }
  const dir = tempDir("bench-apache");
  const port = await freePort();
  const conf = join(dir, "apache2.conf");
  writeFileSync(
    conf,
    [
      `ServerRoot ${dir}`,
      `DefaultRuntimeDir ${dir}`,
      `PidFile ${dir}/apache2.pid`,
      `Mutex file:${dir} default`,
      "ServerName 127.0.0.1",
      // Debian's apache2.conf, verbatim values.
      "Timeout 300",
      "KeepAlive On",
      "MaxKeepAliveRequests 100",
      "KeepAliveTimeout 5",
      "User www-data",
      "Group www-data",
      `ErrorLog ${dir}/error.log`,
      "LogLevel warn",
      `LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so`,
      "Include /etc/apache2/mods-available/mpm_event.conf",
      `LoadModule authz_core_module ${MODULES}/mod_authz_core.so`,
      `LoadModule authz_host_module ${MODULES}/mod_authz_host.so`,
      `LoadModule access_compat_module ${MODULES}/mod_access_compat.so`,
      `LoadModule proxy_module ${MODULES}/mod_proxy.so`,
      `LoadModule proxy_http_module ${MODULES}/mod_proxy_http.so`,
      `Listen 127.0.0.1:${port}`,
      `<VirtualHost 127.0.0.1:${port}>`,
      ...seedRecipe(`127.0.0.1:${originPort}`).map((l) => `    ${l}`),
      "</VirtualHost>",
      "",
    ].join("\n"),
  );
  const proc = startProcess("/usr/sbin/apache2", ["-f", conf, "-DFOREGROUND"]);
  await waitFor("apache2", () => portAccepts(port), 20_000, proc);
  return { port, url: `http://127.0.0.1:${port}`, proc, stop: () => proc.stop() };
}
