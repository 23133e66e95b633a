// watchBlockedConnections (web/src/model/site/policy-watch.ts): remembers the origins a `connect-src`
// violation (CSP Level 3 §5.3, SecurityPolicyViolationEvent) refused, matched by origin (scheme, host,
// port) whatever the path; violations of other directives are not connection refusals.
import { describe, expect, it } from "vitest";
import { watchBlockedConnections } from "../../../web/src/model/site/policy-watch";

const violation = (effectiveDirective: string, blockedURI: string) =>
  Object.assign(new Event("securitypolicyviolation"), { effectiveDirective, blockedURI });

describe("watchBlockedConnections", () => {
  it("remembers a refused connect-src origin, for any path on it", () => {
    const page = new EventTarget();
    const wasBlocked = watchBlockedConnections(page);
    expect(wasBlocked("wss://xmpp.example.org/xmpp-websocket")).toBe(false);
    page.dispatchEvent(violation("connect-src", "wss://xmpp.example.org:5281/ws"));
    expect(wasBlocked("wss://xmpp.example.org:5281/other")).toBe(true);
    expect(wasBlocked("wss://xmpp.example.org/xmpp-websocket")).toBe(false); // another port, another origin
  });

  it("ignores other directives, and compares an unparsable URI as it is", () => {
    const page = new EventTarget();
    const wasBlocked = watchBlockedConnections(page);
    page.dispatchEvent(violation("img-src", "https://images.example.org/a.png"));
    expect(wasBlocked("https://images.example.org/a.png")).toBe(false);
    page.dispatchEvent(violation("connect-src", "not a url"));
    expect(wasBlocked("not a url")).toBe(true);
    expect(wasBlocked("another bad one")).toBe(false);
  });
});
