/**
 * Where to open the XMPP WebSocket: this host's own (the worker's passthrough, at the path its
 * host-meta names: own-endpoint.ts) by default, else XEP-0156 discovery on the account's domain
 * (host-meta.json, then host-meta XML).
 */

export const REL_WEBSOCKET = "urn:xmpp:alt-connections:websocket";

/** The worker's default XMPP_WEBSOCKET_PATH (worker/env.ts). */
export const DEFAULT_WEBSOCKET_PATH = "/xmpp-websocket";

/** `ws(s)://<this host><path>`, matching the page's scheme. */
export function sameHostWebsocket(location: { protocol: string; host: string }, path = DEFAULT_WEBSOCKET_PATH): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}`;
}

/** A user-supplied endpoint: only ws:// or wss:// URLs, no credentials in them. Null if unusable. */
export function explicitWebsocket(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== "ws:" && url.protocol !== "wss:") || url.username || url.password) return null;
  return url.href;
}

function usable(href: string): string | null {
  const url = explicitWebsocket(href);
  // Discovered endpoints on other hosts must be encrypted.
  return url?.startsWith("wss:") ? url : null;
}

export function parseHostMetaJson(doc: unknown): string[] {
  const links = (doc as { links?: unknown })?.links;
  if (!Array.isArray(links)) return [];
  const out: string[] = [];
  for (const link of links as Array<{ rel?: unknown; href?: unknown }>) {
    if (link?.rel !== REL_WEBSOCKET || typeof link.href !== "string") continue;
    const url = usable(link.href);
    if (url) out.push(url);
  }
  return out;
}

export function parseHostMetaXml(text: string): string[] {
  if (typeof DOMParser === "undefined") return [];
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const out: string[] = [];
  for (const link of Array.from(doc.getElementsByTagName("Link"))) {
    if (link.getAttribute("rel") !== REL_WEBSOCKET) continue;
    const url = usable(link.getAttribute("href") ?? "");
    if (url) out.push(url);
  }
  return out;
}

/**
 * XEP-0156 on `domain`: host-meta.json, then host-meta (XML). `allowed` says which URLs this page may
 * fetch (its CSP, csp.ts); a refused one is not requested and is reported through `refused`.
 */
export async function discoverWebsockets(
  domain: string,
  fetcher: typeof fetch,
  allowed: (url: string) => boolean = () => true,
  refused: (url: string) => void = () => {},
): Promise<string[]> {
  const base = `https://${domain}/.well-known/host-meta`;
  const get = (url: string, init?: RequestInit) => {
    if (allowed(url)) return fetcher(url, init);
    refused(url);
    return null;
  };
  try {
    const res = await get(`${base}.json`, { headers: { accept: "application/json" } });
    if (res?.ok) {
      const found = parseHostMetaJson(await res.json());
      if (found.length) return found;
    }
  } catch {}
  try {
    const res = await get(base);
    if (res?.ok) return parseHostMetaXml(await res.text());
  } catch {}
  return [];
}
