/**
 * Remembers the origins this page's Content-Security-Policy refused to connect to (CSP Level 3,
 * SecurityPolicyViolationEvent, `connect-src`), so a blocked XMPP endpoint is reported as such
 * rather than as an unreachable server. The worker allows other origins only when configured.
 */

export type WasBlocked = (url: string) => boolean;

function originOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url;
  }
}

export function watchBlockedConnections(target: Pick<EventTarget, "addEventListener">): WasBlocked {
  const blocked = new Set<string>();
  target.addEventListener("securitypolicyviolation", (event) => {
    const e = event as SecurityPolicyViolationEvent;
    if (e.effectiveDirective === "connect-src") blocked.add(originOf(e.blockedURI));
  });
  return (url) => blocked.has(originOf(url));
}
