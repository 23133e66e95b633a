/**
 * What this site's worker says about its XMPP upstream, asked after this host's own WebSocket failed: a
 * browser hides why a WebSocket handshake failed (the worker's 502 / 504 is invisible to the page, WHATWG
 * WebSockets §"fail the WebSocket connection"), but a same-origin `GET /healthz` (CSP connect-src 'self')
 * is readable: `xmpp.up: false` means the site's chat server is down. A request that fails outright, or
 * `navigator.onLine` false, means this device is offline. Anything else (no Porthole /healthz, a timeout,
 * unreadable JSON) is "unknown", and the caller keeps its other explanations.
 */

export type SiteHealth = "offline" | "chat-down" | "chat-up" | "unknown";

/** Longest wait for /healthz (the worker bounds its own probe at 2 s). */
export const HEALTH_TIMEOUT_MS = 5000;

export interface SiteHealthDeps {
  fetch: typeof fetch;
  location: { protocol: string; host: string };
  /** navigator.onLine (false: certainly offline; true proves nothing). */
  online: () => boolean;
}

export async function siteHealth(deps: SiteHealthDeps): Promise<SiteHealth> {
  if (!deps.online()) return "offline";
  let res: Response;
  const timeout = AbortSignal.timeout(HEALTH_TIMEOUT_MS);
  try {
    res = await deps.fetch(`${deps.location.protocol}//${deps.location.host}/healthz`, {
      cache: "no-store",
      signal: timeout,
    });
  } catch {
    return timeout.aborted ? "unknown" : "offline";
  }
  const body = (await res.json().catch(() => null)) as { xmpp?: { enabled?: unknown; up?: unknown } } | null;
  const xmpp = body?.xmpp;
  if (xmpp?.enabled !== true) return "unknown";
  if (xmpp.up === false) return "chat-down";
  return xmpp.up === true ? "chat-up" : "unknown";
}
