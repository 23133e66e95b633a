/**
 * This host's own XMPP WebSocket, as the host publishes it: XEP-0156 §3 host-meta.json on this page's
 * origin (the worker's routes/well-known.ts, built from its XMPP_WEBSOCKET_PATH). Only a
 * `urn:xmpp:alt-connections:websocket` link to this page's own host counts, and only its path is taken:
 * it is opened on this page's origin (ws: under http:, wss: under https:), so a document naming another
 * host is never followed from here (other hosts are XEP-0156 discovery on the account's domain,
 * discovery.ts, under the page's CSP). The path last found is kept on the device, for a start when
 * host-meta cannot be read (offline, a failed or slow request); with none kept, /xmpp-websocket.
 * Loaded on first login (xmpp-endpoints.ts), not with the first paint.
 */
import { DEFAULT_WEBSOCKET_PATH, REL_WEBSOCKET, sameHostWebsocket } from "./discovery";
/** localStorage key of the path host-meta last gave. */
export const WEBSOCKET_PATH_KEY = "porthole.xmppWebsocketPath";
/** How long host-meta may take before the kept path is used instead. */
export const HOST_META_TIMEOUT_MS = 3000;

/** The path grammar the worker accepts for XMPP_WEBSOCKET_PATH (worker/env.ts parseWebSocketPath). */
const PLAIN_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

/** `value` when it is a path the worker could serve its WebSocket at, else null. */
export function plainPath(value: unknown): string | null {
  if (typeof value !== "string" || !PLAIN_PATH.test(value)) return null;
  return value.split("/").some((s) => s === "." || s === "..") ? null : value;
}

export interface OwnEndpointDeps {
  location: { protocol: string; host: string };
  fetch: typeof fetch;
  /** Where the path is kept (localStorage); none in most unit tests. */
  storage?: Pick<Storage, "getItem" | "setItem">;
  /** navigator.onLine: offline, host-meta is not asked. */
  online?: () => boolean;
}

/** The path of host-meta.json's first WebSocket link to `host` (a plain ws:/wss: URL), else null. */
export function ownWebsocketPath(doc: unknown, host: string): string | null {
  const links = (doc as { links?: unknown })?.links;
  if (!Array.isArray(links)) return null;
  for (const link of links as Array<{ rel?: unknown; href?: unknown }>) {
    if (link?.rel !== REL_WEBSOCKET || typeof link.href !== "string") continue;
    let url: URL;
    try {
      url = new URL(link.href);
    } catch {
      continue;
    }
    if (url.protocol !== "ws:" && url.protocol !== "wss:") continue;
    if (url.host !== host.toLowerCase() || url.username || url.password || url.search || url.hash) continue;
    const path = plainPath(url.pathname);
    if (path) return path;
  }
  return null;
}

function keptPath(storage: OwnEndpointDeps["storage"]): string {
  try {
    return plainPath(storage?.getItem(WEBSOCKET_PATH_KEY)) ?? DEFAULT_WEBSOCKET_PATH;
  } catch {
    return DEFAULT_WEBSOCKET_PATH;
  }
}

/** `ws(s)://<this host><path>`: the path from this host's host-meta, else the one kept, else /xmpp-websocket. */
export async function ownWebsocket(deps: OwnEndpointDeps): Promise<string> {
  const { location, storage } = deps;
  if (deps.online?.() !== false) {
    try {
      const res = await deps.fetch(`${location.protocol}//${location.host}/.well-known/host-meta.json`, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(HOST_META_TIMEOUT_MS),
      });
      const path = res.ok ? ownWebsocketPath(await res.json(), location.host) : null;
      if (path) {
        try {
          storage?.setItem(WEBSOCKET_PATH_KEY, path);
        } catch {}
        return sameHostWebsocket(location, path);
      }
    } catch {}
  }
  return sameHostWebsocket(location, keptPath(storage));
}
