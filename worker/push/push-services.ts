/**
 * Which push services the worker may POST to (no open relay): a push subscription's endpoint
 * (RFC 8030 §5) is accepted only when its origin matches one entry of `PUSH_SERVICES`. An entry is
 * `host`, `*.host` (any subdomain, not the host itself) or a full origin `scheme://host[:port]` (e.g.
 * a test service on `http://127.0.0.1:9000`); a bare host means `https:` on port 443. The default
 * list is the browsers' own services: Google FCM (Chrome, Edge on Android), Mozilla autopush
 * (Firefox), Apple (Safari, iOS Home Screen apps), Windows WNS (Edge on Windows).
 */

export const DEFAULT_PUSH_SERVICES =
  "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,*.notify.windows.com";

export interface PushService {
  protocol: string;
  /** Lower-case host, without the `*.` of a wildcard. */
  host: string;
  wildcard: boolean;
  /** The URL's port text ("" = the scheme's default). */
  port: string;
}

/** Parses the list; throws an Error naming the first bad entry. */
export function parsePushServices(raw: string): PushService[] {
  const items = raw.split(/[\s,]+/).filter((s) => s.length > 0);
  if (items.length > 32) throw new Error("at most 32 push services");
  return items.map((item) => {
    const full = /^(https?):\/\/(\*\.)?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?::(\d{1,5}))?\/?$/.exec(item);
    const bare = /^(\*\.)?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/.exec(item);
    if (full) {
      const protocol = `${full[1]}:`;
      const port = full[4] && full[4] !== (protocol === "https:" ? "443" : "80") ? full[4] : "";
      return { protocol, host: (full[3] ?? "").toLowerCase(), wildcard: Boolean(full[2]), port };
    }
    if (bare) return { protocol: "https:", host: (bare[2] ?? "").toLowerCase(), wildcard: Boolean(bare[1]), port: "" };
    throw new Error(`"${item}" is not a host, *.host or http(s)://host[:port]`);
  });
}

/** Whether a push to `endpoint` may be sent. Endpoints with credentials are never allowed. */
export function isAllowedEndpoint(endpoint: URL, services: readonly PushService[]): boolean {
  if (endpoint.username || endpoint.password) return false;
  const host = endpoint.hostname.toLowerCase();
  return services.some(
    (s) =>
      s.protocol === endpoint.protocol &&
      s.port === endpoint.port &&
      (s.wildcard ? host.endsWith(`.${s.host}`) : host === s.host),
  );
}
