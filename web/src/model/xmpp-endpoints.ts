/**
 * Endpoint choice for a password login: explicit URL, else this host's /xmpp-websocket, then XEP-0156
 * discovery; the first endpoint that logs in wins. A URL the page's own CSP forbids is never opened,
 * and the final message tells "the site may not connect there" (ask the operator) from "unreachable".
 */

import { allowsConnect, type ConnectPolicy } from "./csp";
import { discoverWebsockets, sameHostWebsocket } from "./discovery";
import { domainOf, localOf } from "./jid";
import type { WasBlocked } from "./policy-watch";
import { isAuthFailure, randomResource } from "./sasl-failure";
import type { ScramKeys } from "./scram-sha-1";
import type { SmStore } from "./sm-store";
import type { CreateEntity, EntityHandlers, XmppEntity } from "./xmpp-entity";

export interface EndpointDeps {
  createEntity: CreateEntity;
  location: { protocol: string; host: string };
  fetch: typeof fetch;
  wasBlocked: WasBlocked;
  connectPolicy: () => Promise<ConnectPolicy | null>;
}

export interface EndpointLogin {
  address: string;
  password: string;
  /** The explicit WebSocket URL (already checked), or null to use this host then discovery. */
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
  | { kind: "exhausted"; lastError: string; tried: Set<string>; refused: Set<string>; own: string; domain: string };

/** Tries the candidate endpoints in order until one logs in, the credentials are refused, or none is left. */
export async function openEndpoint(deps: EndpointDeps, login: EndpointLogin): Promise<EndpointOutcome> {
  const { address, service, current } = login;
  const { location } = deps;
  const policy = await deps.connectPolicy();
  if (!current()) return { kind: "stale" };
  const self = `${location.protocol}//${location.host}/`;
  const allowed = (url: string) => !policy || allowsConnect(policy, url, self);
  const refused = new Set<string>();
  const refuse = (url: string) => refused.add(new URL(url).host);
  const domain = domainOf(address);
  const own = sameHostWebsocket(location);
  const tried = new Set<string>();
  let candidates = service ? [service] : [own];
  let discovered = !!service;
  let lastError = "";
  for (;;) {
    if (!candidates.length) {
      if (discovered) break;
      discovered = true;
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

/** Why no endpoint worked, in words for the user (after the page's CSP violation reports landed). */
export async function unreachableMessage(
  outcome: Extract<EndpointOutcome, { kind: "exhausted" }>,
  wasBlocked: WasBlocked,
): Promise<string> {
  const { tried, refused, own, domain } = outcome;
  // Violation reports are queued tasks: let them land before telling the two cases apart.
  await new Promise((r) => setTimeout(r, 0));
  for (const url of tried) if (wasBlocked(url)) refused.add(new URL(url).host);
  if (refused.size) {
    const hosts = [...refused].join(", ");
    const ownDown = tried.has(own) && !refused.has(new URL(own).host) ? "Cannot reach this site's chat server. " : "";
    return `${ownDown}This site is not allowed to connect to ${hosts}: ask its operator to add ${refused.size > 1 ? "them" : "it"} to XMPP_CONNECT_SRC.`;
  }
  return `Cannot reach the chat server for ${domain}. Check your connection, or set the server's WebSocket URL under Advanced.`;
}
