/**
 * Bindings and configuration. The `[vars]` in wrangler.toml are parsed and validated once per
 * isolate (cached by the raw values), so a bad value produces one clear error naming the variable
 * instead of a crash on every request.
 */
import { RTMPT_PREFIXES } from "./rtmpt/protocol";
import { MAX_ORIGINS } from "./rtmpt/rotation";
import { logEvent } from "./shared/log";

/**
 * The bindings and vars, as `wrangler types` generates them from wrangler.toml into
 * worker-configuration.d.ts (`npm run cf-typegen`; `npm test` fails when it is stale). Two bindings
 * are optional because a deployment may remove their wrangler.toml block: `ASSETS` (a router-only
 * deployment answers 404 instead of the PWA) and `SESSION_LIMITER` (no rate limit).
 */
export type Env = Omit<Cloudflare.Env, "ASSETS" | "SESSION_LIMITER"> &
  Partial<Pick<Cloudflare.Env, "ASSETS" | "SESSION_LIMITER">>;

export type RtmptMode = "off" | "proxy" | "gateway";

export interface Origin {
  /** Position in RTMPT_ORIGINS; used in sticky-session tags. */
  index: number;
  /** Normalised origin, e.g. `http://127.0.0.1:1935` or `rtmp://127.0.0.1:1935`. */
  url: URL;
  host: string;
  port: number;
}

export interface Config {
  rtmptMode: RtmptMode;
  origins: Origin[];
  xmppWebSocketUrl: URL | null;
  /** Public path of the XMPP WebSocket passthrough, e.g. `/xmpp-websocket`. */
  xmppWebSocketPath: string;
  /** Extra CSP `connect-src` sources (other XMPP servers' wss:// and https:// origins); default none. */
  xmppConnectSrc: string[];
  maxBody: number;
  originTimeoutMs: number;
  tagSecret: string;
  /** Upload service behind `/upload/` (XEP-0363 HTTP endpoint, e.g. Prosody's http_file_share); null = off. */
  uploadUrl: URL | null;
  /** Largest PUT body forwarded to the upload service, in bytes (larger: 413). */
  uploadMaxBody: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443, "rtmp:": 1935 };

function parseOrigins(raw: string): { mode: RtmptMode; origins: Origin[] } {
  const items = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) return { mode: "off", origins: [] };
  const origins: Origin[] = [];
  const schemes = new Set<string>();
  for (const [index, item] of items.entries()) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new ConfigError("RTMPT_ORIGINS", `"${item}" is not a URL (expected http(s)://host:port or rtmp://host:port)`);
    }
    if (!(url.protocol in DEFAULT_PORTS)) {
      throw new ConfigError("RTMPT_ORIGINS", `"${item}" has scheme ${url.protocol} (expected http:, https: or rtmp:)`);
    }
    if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username || url.password) {
      throw new ConfigError("RTMPT_ORIGINS", `"${item}" must be a bare origin (no path, query, fragment or credentials)`);
    }
    schemes.add(url.protocol === "rtmp:" ? "rtmp" : "http");
    const port = url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0);
    origins.push({ index, url, host: url.hostname, port });
  }
  if (schemes.size > 1) {
    throw new ConfigError("RTMPT_ORIGINS", "mixes http(s):// (proxy mode) and rtmp:// (gateway mode) origins; pick one mode");
  }
  if (origins.length > MAX_ORIGINS) throw new ConfigError("RTMPT_ORIGINS", `at most ${MAX_ORIGINS} origins`);
  return { mode: schemes.has("rtmp") ? "gateway" : "proxy", origins };
}

function parseWebSocketUrl(raw: string): URL | null {
  const value = raw.trim();
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError("XMPP_WEBSOCKET_URL", `"${value}" is not a URL (expected ws(s)://host:port/path)`);
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new ConfigError("XMPP_WEBSOCKET_URL", `"${value}" has scheme ${url.protocol} (expected ws: or wss:)`);
  }
  return url;
}

/**
 * Paths the worker already routes elsewhere (routes/*.ts) or serves as static files (/assets); the XMPP
 * WebSocket path may neither be one of them nor lie under one.
 */
const RESERVED_PREFIXES: readonly string[] = [
  ...RTMPT_PREFIXES.map((p) => `/${p}`),
  "/live",
  "/upload",
  "/push",
  "/.well-known",
  "/healthz",
  "/assets",
];

function parseWebSocketPath(raw: string | undefined): string {
  const value = (raw ?? "").trim() || "/xmpp-websocket";
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(value) || value.split("/").some((s) => s === "." || s === "..")) {
    throw new ConfigError("XMPP_WEBSOCKET_PATH", `"${value}" is not a plain absolute path like /xmpp-websocket`);
  }
  const clash = RESERVED_PREFIXES.find((p) => value === p || value.startsWith(`${p}/`));
  if (clash) throw new ConfigError("XMPP_WEBSOCKET_PATH", `"${value}" is under ${clash}, which the worker already routes`);
  return value;
}

/**
 * CSP connect-src sources the PWA may also reach (XEP-0156 discovery and WebSockets of other XMPP
 * servers): space- or comma-separated `wss://host[:port]` / `https://host[:port]` origins (a leading `*.`
 * wildcard label is allowed), or the bare schemes `wss:` / `https:` to allow any server.
 */
function parseConnectSrc(raw: string | undefined): string[] {
  const items = (raw ?? "").split(/[\s,]+/).filter((s) => s.length > 0);
  if (items.length > 32) throw new ConfigError("XMPP_CONNECT_SRC", "at most 32 sources");
  return items.map((item) => {
    if (item === "wss:" || item === "https:") return item;
    if (!/^(wss|https):\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/.test(item)) {
      throw new ConfigError(
        "XMPP_CONNECT_SRC",
        `"${item}" is not a wss:// or https:// origin (e.g. wss://xmpp.example.org, https://example.org, or wss:)`,
      );
    }
    return item.toLowerCase();
  });
}

/**
 * The one upload service `/upload/<path>` forwards to: an http(s) base URL ending in `/` (e.g.
 * `http://127.0.0.1:5280/file_share/`), no query, fragment or credentials. Empty = uploads off.
 */
function parseUploadUrl(raw: string | undefined): URL | null {
  const value = (raw ?? "").trim();
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError("UPLOAD_URL", `"${value}" is not a URL (expected http(s)://host:port/path/)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("UPLOAD_URL", `"${value}" has scheme ${url.protocol} (expected http: or https:)`);
  }
  if (url.search || url.hash || url.username || url.password || value.includes("?") || value.includes("#")) {
    throw new ConfigError("UPLOAD_URL", `"${value}" must be a plain base URL (no query, fragment or credentials)`);
  }
  if (!url.pathname.endsWith("/")) {
    throw new ConfigError("UPLOAD_URL", `"${value}" must end with / (it is the base that /upload/<path> is appended to)`);
  }
  return url;
}

function parsePositiveInt(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `"${raw}" is not a positive integer`);
  const n = Number(raw.trim());
  if (n < 1 || n > max) throw new ConfigError(name, `${n} is out of range 1..${max}`);
  return n;
}

export function parseConfig(env: Partial<Env>): Config {
  const { mode, origins } = parseOrigins(env.RTMPT_ORIGINS ?? "");
  return {
    rtmptMode: mode,
    origins,
    xmppWebSocketUrl: parseWebSocketUrl(env.XMPP_WEBSOCKET_URL ?? ""),
    xmppWebSocketPath: parseWebSocketPath(env.XMPP_WEBSOCKET_PATH),
    xmppConnectSrc: parseConnectSrc(env.XMPP_CONNECT_SRC),
    maxBody: parsePositiveInt("RTMPT_MAX_BODY", env.RTMPT_MAX_BODY, 16 * 1024 * 1024, 100 * 1024 * 1024),
    originTimeoutMs: parsePositiveInt("RTMPT_ORIGIN_TIMEOUT_MS", env.RTMPT_ORIGIN_TIMEOUT_MS, 10_000, 600_000),
    tagSecret: env.RTMPT_TAG_SECRET?.trim() || "porthole-dev-only-secret",
    uploadUrl: parseUploadUrl(env.UPLOAD_URL),
    uploadMaxBody: parsePositiveInt("UPLOAD_MAX_BODY", env.UPLOAD_MAX_BODY, 100 * 1024 * 1024, 500 * 1024 * 1024),
  };
}

let cached: { key: string; result: Config | ConfigError } | undefined;

/** The parsed config, or the ConfigError describing the bad variable; computed once per set of values. */
export function getConfig(env: Partial<Env>): Config | ConfigError {
  const key = JSON.stringify([
    env.RTMPT_ORIGINS,
    env.XMPP_WEBSOCKET_URL,
    env.XMPP_WEBSOCKET_PATH,
    env.XMPP_CONNECT_SRC,
    env.RTMPT_MAX_BODY,
    env.RTMPT_ORIGIN_TIMEOUT_MS,
    env.RTMPT_TAG_SECRET,
    env.UPLOAD_URL,
    env.UPLOAD_MAX_BODY,
  ]);
  if (cached?.key === key) return cached.result;
  let result: Config | ConfigError;
  try {
    result = parseConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    result = err;
    logEvent("config_error", { variable: err.variable, message: err.message }, "error");
  }
  cached = { key, result };
  return result;
}
