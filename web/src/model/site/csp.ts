/**
 * This page's own Content-Security-Policy `connect-src` (CSP Level 3, W3C), read from a same-origin HEAD of
 * the page, so the PWA never opens a URL the policy forbids: a refused attempt would only log a violation
 * and look like an unreachable server. Matching follows CSP3 §6.7.2 "Does url match expression" as
 * Chromium implements it (services/network csp_source): `'self'`, `*`, `'none'`, scheme-only sources
 * (`wss:`), host sources with scheme, port (`:*`), a leading `*.` label and a path (a trailing `/` is a
 * prefix, else the exact path). Scheme upgrades: http→https and ws→wss (with port 80→443).
 */

interface HostSource {
  /** Without the colon; "" = the page's scheme. */
  scheme: string;
  /** Lowercase host without the `*.`; "" with `wildcard` = any host (`*`). */
  host: string;
  /** A leading `*.`: subdomains of `host` only, not `host` itself. */
  wildcard: boolean;
  /** null = the scheme's default port; "*" = any. */
  port: number | "*" | null;
  path: string;
}

type Source = { kind: "self" } | { kind: "scheme"; scheme: string } | ({ kind: "host" } & HostSource);

/** One source list per policy in the header (every one must allow a URL); none = no restriction. */
export interface ConnectPolicy {
  lists: Source[][];
}

const DEFAULT_PORT: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };
const NETWORK_SCHEMES = new Set(["http", "https", "ws", "wss"]);

const HOST_SOURCE = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}|\*))?(\/[^?#]*)?$/i;

function parseSource(token: string): Source | null {
  const t = token.toLowerCase();
  if (t === "'self'") return { kind: "self" };
  if (/^[a-z][a-z0-9+.-]*:$/.test(t)) return { kind: "scheme", scheme: t.slice(0, -1) };
  if (t.startsWith("'")) return null; // 'none', nonces, hashes, 'unsafe-…': allow no URL
  const m = HOST_SOURCE.exec(token);
  if (!m) return null;
  const [, scheme = "", rawHost = "", rawPort, path = ""] = m;
  const host = rawHost.toLowerCase();
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  return {
    kind: "host",
    scheme: scheme.toLowerCase(),
    host: host === "*" ? "" : host.replace(/^\*\./, ""),
    wildcard: host.startsWith("*"),
    port: rawPort === undefined ? null : rawPort === "*" ? "*" : Number(rawPort),
    path: decoded,
  };
}

/** The effective connect-src lists of a Content-Security-Policy header value (several policies: comma). */
export function parseConnectPolicy(header: string): ConnectPolicy {
  const lists: Source[][] = [];
  for (const policy of header.split(",")) {
    const directives = new Map<string, string[]>();
    for (const directive of policy.split(";")) {
      const [name, ...values] = directive.trim().split(/[\t\n\f\r ]+/);
      const key = name?.toLowerCase();
      // The first occurrence of a directive wins (CSP3 §2.2.1).
      if (key && !directives.has(key)) directives.set(key, values);
    }
    const tokens = directives.get("connect-src") ?? directives.get("default-src");
    if (!tokens) continue;
    lists.push(tokens.map(parseSource).filter((s): s is Source => s !== null));
  }
  return { lists };
}

type SchemeMatch = "exact" | "upgrade" | null;

function schemeMatch(allowed: string, actual: string): SchemeMatch {
  if (allowed === actual) return "exact";
  if ((allowed === "http" && actual === "https") || (allowed === "ws" && actual === "wss")) return "upgrade";
  return null;
}

type PortMatch = "exact" | "wildcard" | "upgrade" | null;

function portMatch(source: HostSource, sourceScheme: string, url: URL, scheme: string): PortMatch {
  if (source.port === "*") return "wildcard";
  const port = url.port ? Number(url.port) : DEFAULT_PORT[scheme];
  if (source.port === port) return "exact";
  if (source.port === null && DEFAULT_PORT[scheme] === port) return "wildcard";
  const sourcePort = source.port ?? DEFAULT_PORT[sourceScheme];
  return sourcePort === 80 && port === 443 ? "upgrade" : null;
}

function pathMatch(sourcePath: string, urlPath: string): boolean {
  if (!sourcePath) return true;
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  if (sourcePath === "/" && path === "") return true;
  return sourcePath.endsWith("/") ? path.startsWith(sourcePath) : path === sourcePath;
}

function hostSourceMatches(source: HostSource, url: URL, self: URL): boolean {
  const scheme = url.protocol.slice(0, -1);
  const sourceScheme = source.scheme || self.protocol.slice(0, -1);
  const s = schemeMatch(sourceScheme, scheme);
  if (!s) return false;
  const host = url.hostname.toLowerCase();
  if (source.wildcard) {
    if (source.host && !host.endsWith(`.${source.host}`)) return false;
  } else if (host !== source.host) return false;
  const p = portMatch(source, sourceScheme, url, scheme);
  if (!p) return false;
  // An upgrade of the scheme needs a port that may change, and an upgrade of the port an upgraded scheme.
  if (s === "upgrade" && p === "exact") return false;
  if (p === "upgrade" && s !== "upgrade") return false;
  return pathMatch(source.path, url.pathname);
}

/** CSP3 'self': the same origin, or the same host and port over a secure or WebSocket scheme. */
function selfMatches(url: URL, self: URL): boolean {
  if (url.origin === self.origin) return true;
  if (url.hostname.toLowerCase() !== self.hostname.toLowerCase()) return false;
  const scheme = url.protocol.slice(0, -1);
  const selfScheme = self.protocol.slice(0, -1);
  const port = url.port ? Number(url.port) : DEFAULT_PORT[scheme];
  const selfPort = self.port ? Number(self.port) : DEFAULT_PORT[selfScheme];
  if (port !== selfPort) return false;
  return scheme === "https" || scheme === "wss" || (selfScheme === "http" && scheme === "ws");
}

function sourceMatches(source: Source, url: URL, self: URL): boolean {
  const scheme = url.protocol.slice(0, -1);
  switch (source.kind) {
    case "self":
      return selfMatches(url, self);
    case "scheme":
      return schemeMatch(source.scheme, scheme) !== null;
    case "host":
      if (source.wildcard && !source.host && !source.scheme && source.port === null && !source.path)
        // `*`: any URL of a network scheme, or of the page's own scheme.
        return NETWORK_SCHEMES.has(scheme) || url.protocol === self.protocol;
      return hostSourceMatches(source, url, self);
  }
}

/** Whether `policy` lets a page at `self` connect to `url` (fetch or WebSocket). */
export function allowsConnect(policy: ConnectPolicy, url: string, self: string): boolean {
  let target: URL;
  let page: URL;
  try {
    target = new URL(url);
    page = new URL(self);
  } catch {
    return false;
  }
  return policy.lists.every((list) => list.some((source) => sourceMatches(source, target, page)));
}

/**
 * Reads the page's connect policy with a same-origin HEAD (the worker sends the same CSP on every page).
 * Cached once read; a failed request (offline) is not cached and yields null: "unknown, try anyway".
 */
export function pageConnectPolicy(fetcher: typeof fetch, pageUrl: () => string): () => Promise<ConnectPolicy | null> {
  let cached: ConnectPolicy | null = null;
  return async () => {
    if (cached) return cached;
    try {
      const res = await fetcher(pageUrl(), { method: "HEAD", cache: "no-store", credentials: "same-origin" });
      cached = parseConnectPolicy(res.headers.get("content-security-policy") ?? "");
      return cached;
    } catch {
      return null;
    }
  };
}
