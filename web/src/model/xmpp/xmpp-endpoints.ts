/**
 * Endpoint choice for a password login: explicit URL, else this host's own WebSocket (at the path its
 * host-meta names, own-endpoint.ts), then XEP-0156 discovery on the account's domain; the first
 * endpoint that logs in wins. A URL the page's own CSP forbids is never opened,
 * and the final message tells apart "this site's chat server is down" (its /healthz says so), "this
 * device is offline", "the site may not connect there" (ask the operator) and "unreachable".
 */

import { isAuthFailure, isServerNotProven, randomResource } from "../auth/sasl-failure";
import type { ScramKeys } from "../auth/scram-sha-1";
import { allowsConnect, type ConnectPolicy } from "../site/csp";
import type { WasBlocked } from "../site/policy-watch";
import type { SiteHealth } from "../site/site-health";
import { domainOf, localOf } from "../stanzas/jid";
import { discoverWebsockets, sameHostWebsocket } from "./discovery";
import type { SmStore } from "./sm-store";
import type { CreateEntity, EntityHandlers, XmppEntity } from "./xmpp-entity";

export interface EndpointDeps {
  createEntity: CreateEntity;
  location: { protocol: string; host: string };
  fetch: typeof fetch;
  wasBlocked: WasBlocked;
  connectPolicy: () => Promise<ConnectPolicy | null>;
  /** navigator.onLine: offline, no discovery is attempted (the page could not check its own policy). */
  online?: () => boolean;
  /** Keeps this host's WebSocket path for a start when its host-meta cannot be read (localStorage). */
  storage?: Pick<Storage, "getItem" | "setItem">;
}

export interface EndpointLogin {
  address: string;
  password: string;
  /** The explicit WebSocket URL (already checked), or null to use this host's own, then discovery. */
  service: string | null;
  /** Keeps the new session resumable across a reload (XEP-0198, sm-store.ts). */
  smStore?: SmStore;
  handlers: () => EntityHandlers;
  /** False once a newer connect/disconnect superseded this attempt: stop quietly. */
  current: () => boolean;
}

export type EndpointOutcome =
  | { kind: "open"; entity: XmppEntity; url: string; keys: ScramKeys | null }
  | { kind: "stale" }
  | { kind: "auth-failure" }
  /** The server accepted the login without proving it knows the password (scram-sha-1.ts). */
  | { kind: "not-proven"; message: string }
  | { kind: "exhausted"; lastError: string; tried: Set<string>; refused: Set<string>; own: string; domain: string };

/**
 * This host's own WebSocket (own-endpoint.ts, loaded on first use). When even that chunk cannot be
 * loaded (offline before the service worker has cached it), the default path: no login can succeed
 * then anyway, and the attempt ends in the offline message.
 */
export function ownWebsocket(deps: Pick<EndpointDeps, "location" | "fetch" | "online" | "storage">): Promise<string> {
  return import("./own-endpoint").then(
    (m) => m.ownWebsocket(deps),
    () => sameHostWebsocket(deps.location),
  );
}

/** Whether a WebSocket URL is on this page's own host (the worker's one XMPP_WEBSOCKET_PATH). */
export function isOwnHost(url: string, location: { host: string }): boolean {
  try {
    return new URL(url).host === location.host.toLowerCase();
  } catch {
    return false;
  }
}

/** Tries the candidate endpoints in order until one logs in, the credentials are refused, or none is left. */
export async function openEndpoint(deps: EndpointDeps, login: EndpointLogin): Promise<EndpointOutcome> {
  const { address, service, current } = login;
  const { location } = deps;
  const [policy, own] = await Promise.all([deps.connectPolicy(), service ? sameHostWebsocket(location) : ownWebsocket(deps)]);
  if (!current()) return { kind: "stale" };
  const self = `${location.protocol}//${location.host}/`;
  const allowed = (url: string) => !policy || allowsConnect(policy, url, self);
  const refused = new Set<string>();
  const refuse = (url: string) => refused.add(new URL(url).host);
  const domain = domainOf(address);
  const tried = new Set<string>();
  let candidates = service ? [service] : [own];
  let discovered = !!service;
  let lastError = "";
  for (;;) {
    if (!candidates.length) {
      if (discovered) break;
      discovered = true;
      if (deps.online?.() === false) break;
      candidates = await discoverWebsockets(domain, deps.fetch, allowed, refuse);
      if (!current()) return { kind: "stale" };
      continue;
    }
    const url = candidates.shift() as string;
    if (tried.has(url)) continue;
    tried.add(url);
    if (!allowed(url)) {
      refuse(url);
      continue;
    }
    let keys: ScramKeys | null = null;
    const entity = deps.createEntity(
      {
        service: url,
        domain,
        username: localOf(address),
        password: login.password,
        resource: randomResource(),
        onScramKeys: (k) => {
          keys = k;
        },
        smStore: login.smStore,
      },
      login.handlers(),
    );
    try {
      await entity.start();
    } catch (err) {
      await entity.stop().catch(() => {});
      if (!current()) return { kind: "stale" };
      if (isAuthFailure(err)) return { kind: "auth-failure" };
      if (isServerNotProven(err)) return { kind: "not-proven", message: (err as Error).message };
      lastError = err instanceof Error ? err.message : String(err);
      continue;
    }
    if (!current()) {
      await entity.stop().catch(() => {});
      return { kind: "stale" };
    }
    return { kind: "open", entity, url, keys };
  }
  return { kind: "exhausted", lastError, tried, refused, own, domain };
}

/** When this site's own chat server is down and the account has no other usable endpoint. */
export const CHAT_DOWN = "This site's chat server is not answering. Try again in a moment.";
/** When this device is offline (navigator.onLine false, or not even this site's /healthz answers). */
export const OFFLINE = "You are offline: log in again when the network is back.";

/**
 * Why no endpoint worked, in words for the user (after the page's CSP violation reports landed):
 * - nothing was attempted (every candidate is forbidden by the page's CSP): the XMPP_CONNECT_SRC hint;
 * - else the site's /healthz is asked (site-health.ts): offline → OFFLINE, whatever else happened;
 * - this host's endpoint failed, the worker says its chat server is down, and no endpoint other than
 *   this host's was attempted (discovery found none, or only ones the CSP forbids) → CHAT_DOWN: that
 *   outage is then the cause the user can act on (wait), not the CSP of a discovery that could not
 *   have helped while the site's own server is down;
 * - otherwise: the XMPP_CONNECT_SRC hint for refused hosts, else "cannot reach the chat server".
 */
export async function unreachableMessage(
  outcome: Extract<EndpointOutcome, { kind: "exhausted" }>,
  wasBlocked: WasBlocked,
  health: () => Promise<SiteHealth>,
): Promise<string> {
  const { tried, refused, own, domain } = outcome;
  // Violation reports are queued tasks: let them land before telling the two cases apart.
  await new Promise((r) => setTimeout(r, 0));
  for (const url of tried) if (wasBlocked(url)) refused.add(new URL(url).host);
  const attempted = [...tried].filter((url) => !refused.has(new URL(url).host));
  if (attempted.length) {
    const site = await health();
    if (site === "offline") return OFFLINE;
    if (site === "chat-down" && attempted.length === 1 && attempted[0] === own) return CHAT_DOWN;
  }
  if (refused.size) {
    const hosts = [...refused].join(", ");
    const ownDown = attempted.includes(own) ? "Cannot reach this site's chat server. " : "";
    return `${ownDown}This site is not allowed to connect to ${hosts}: ask its operator to add ${refused.size > 1 ? "them" : "it"} to XMPP_CONNECT_SRC.`;
  }
  return `Cannot reach the chat server for ${domain}. Check your connection, or set the server's WebSocket URL under Advanced.`;
}
