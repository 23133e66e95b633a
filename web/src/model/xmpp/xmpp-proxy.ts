/**
 * XMPPProxy of the seed client, as signals: owns the XMPP entity (RFC 7395 WebSocket) and its life
 * cycle (login, resume, reconnect, logout), the connection state and my own presence. Endpoint choice
 * lives in xmpp-endpoints.ts, what the entity's events and stanzas turn into in xmpp-handlers.ts.
 * A saved session (SCRAM keys, history-store.ts) resumes after a reload: "reconnecting" at once,
 * at this host's WebSocket path as its host-meta names it at that moment (or another host's saved URL),
 * retried with jittered exponential back-off until the server answers or refuses the keys; the first
 * attempt resumes the stream itself (XEP-0198 §5) when this tab kept it (sm-store.ts).
 */

import { type ReadonlySignal, signal } from "@preact/signals";
import type { Element } from "@xmpp/xml";
import type { LoginRequest, MyShow } from "../../app/notifications";
import { isAuthFailure, isServerNotProven, randomResource } from "../auth/sasl-failure";
import type { SavedSession } from "../device/history-store";
import type { ConnectPolicy } from "../site/csp";
import type { WasBlocked } from "../site/policy-watch";
import { siteHealth } from "../site/site-health";
import { bareJid, domainOf, isBareJid, localOf } from "../stanzas/jid";
import { backoffDelay } from "./backoff";
import { explicitWebsocket } from "./discovery";
import { type SmStore, sessionSmStore } from "./sm-store";
import { isOwnHost, openEndpoint, ownWebsocket, unreachableMessage } from "./xmpp-endpoints";
import type { CreateEntity, EntityHandlers, XmppEntity } from "./xmpp-entity";
import { type ConnectionState, entityHandlers, type Notify } from "./xmpp-handlers";
import type { Receiver } from "./xmpp-receive";

export type { ConnectionState, Notify } from "./xmpp-handlers";

export interface XmppProxyDeps {
  createEntity: CreateEntity;
  /** What turns the entity's stanzas into notifications (xmpp-receive.ts; loaded with the entity in the app). */
  receiver: Receiver;
  notify: Notify;
  location: { protocol: string; host: string };
  fetch: typeof fetch;
  now: () => number;
  /** Whether the page's CSP refused a connection to this URL's origin (policy-watch.ts). */
  wasBlocked: WasBlocked;
  /** The page's CSP connect-src (csp.ts); null when unknown (offline), then every URL is tried. */
  connectPolicy: () => Promise<ConnectPolicy | null>;
  /** navigator.onLine: false tells a failed login "you are offline" (site-health.ts). */
  online: () => boolean;
  /** This tab's sessionStorage, where a stream stays resumable across a reload; none in unit tests. */
  session?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  /** This device's localStorage, where this host's WebSocket path is kept (own-endpoint.ts). */
  storage?: Pick<Storage, "getItem" | "setItem">;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

export class XmppProxy {
  readonly state = signal<ConnectionState>("offline");
  /** My full JID while a session exists. */
  readonly jid = signal<string | null>(null);
  readonly #presence = signal<{ show: MyShow; status: string }>({ show: "available", status: "" });
  /** My presence as I set it (sent at every session start). */
  readonly presence: ReadonlySignal<{ show: MyShow; status: string }> = this.#presence;
  /** The address of the last successful login, to prefill the form. */
  readonly lastAddress = signal("");

  #saved: SavedSession | null = null;

  /** What resumes this session after a reload (SCRAM logins only); null otherwise. */
  get saved(): SavedSession | null {
    return this.#saved;
  }

  /** Logged out: nothing resumes this session any more. */
  forgetSavedSession(): void {
    this.#saved = null;
  }

  /** Sets my presence, sent now if online (set-presence.ts) and at every session start. */
  setMyPresence(show: MyShow, status: string): void {
    this.#presence.value = { show, status };
  }

  #entity: XmppEntity | null = null;
  #attempt = 0;
  /** Ends the wait before the next resume attempt (reconnectNow). */
  #wake: (() => void) | null = null;
  readonly #deps: XmppProxyDeps;

  constructor(deps: XmppProxyDeps) {
    this.#deps = deps;
  }

  get bare(): string {
    return bareJid(this.jid.value ?? "");
  }

  /** Logs in; reports VALID_LOGIN + ONLINE, INVALID_LOGIN or UNREACHABLE. Resolves when settled. */
  async connect(req: LoginRequest): Promise<void> {
    const { notify } = this.#deps;
    const address = req.address.trim();
    if (!isBareJid(address)) {
      notify("INVALID_LOGIN", { message: "Enter your address as name@example.org." });
      return;
    }
    if (!req.password) {
      notify("INVALID_LOGIN", { message: "Enter your password." });
      return;
    }
    const explicit = req.websocketUrl.trim();
    const service = explicit ? explicitWebsocket(explicit) : null;
    if (explicit && !service) {
      notify("UNREACHABLE", { message: "The WebSocket URL must start with ws:// or wss://." });
      return;
    }
    await this.disconnect();
    const attempt = ++this.#attempt;
    this.state.value = "connecting";
    const smStore = this.#smStore(address);
    smStore?.save(null);
    const outcome = await openEndpoint(this.#deps, {
      address,
      password: req.password,
      service,
      smStore,
      handlers: () => this.#handlers(attempt),
      current: () => attempt === this.#attempt,
    });
    if (outcome.kind === "stale") return;
    if (outcome.kind === "auth-failure") {
      this.state.value = "offline";
      notify("INVALID_LOGIN", { message: "Wrong address or password." });
      return;
    }
    if (outcome.kind === "not-proven") {
      this.state.value = "offline";
      notify("INVALID_LOGIN", { message: `${outcome.message} You were not logged in.` });
      return;
    }
    if (outcome.kind === "exhausted") {
      this.state.value = "offline";
      if (outcome.lastError) console.warn("XMPP connection failed:", outcome.lastError);
      const health = () => siteHealth(this.#deps);
      notify("UNREACHABLE", { message: await unreachableMessage(outcome, this.#deps.wasBlocked, health) });
      return;
    }
    this.#entity = outcome.entity;
    const kept = isOwnHost(outcome.url, this.#deps.location) ? null : outcome.url;
    this.#saved = outcome.keys ? { address, service: kept, scram: outcome.keys } : null;
    this.lastAddress.value = address;
    this.state.value = "online";
    const jid = this.jid.value ?? address;
    notify("VALID_LOGIN", { jid });
    notify("ONLINE", { jid, reconnected: false });
  }

  /**
   * Resumes a saved session without the password: "reconnecting" at once (the device history shows),
   * then tries until online. Refused keys end the session like a logout (LOGOUT + INVALID_LOGIN).
   */
  async resume(saved: SavedSession): Promise<void> {
    await this.disconnect();
    const attempt = ++this.#attempt;
    this.#saved = saved;
    this.lastAddress.value = saved.address;
    this.jid.value = saved.address;
    this.state.value = "reconnecting";
    let ceiling = RETRY_MIN_MS;
    while (attempt === this.#attempt) {
      // This host's own endpoint at the path its host-meta names now, not the one of the last login.
      const kept = saved.service;
      const service = kept && !isOwnHost(kept, this.#deps.location) ? kept : await ownWebsocket(this.#deps);
      if (attempt !== this.#attempt) return;
      const entity = this.#deps.createEntity(
        {
          service,
          domain: domainOf(saved.address),
          username: localOf(saved.address),
          password: "",
          resource: randomResource(),
          scram: saved.scram,
          smStore: this.#smStore(saved.address),
        },
        this.#handlers(attempt),
      );
      // Set before start(): ONLINE (from the handlers) runs commands that use it at once.
      this.#entity = entity;
      try {
        await entity.start();
        return;
      } catch (err) {
        await entity.stop().catch(() => {});
        if (attempt !== this.#attempt) return;
        this.#entity = null;
        if (isAuthFailure(err) || isServerNotProven(err)) {
          this.#deps.notify("LOGOUT", { clearHistory: false });
          this.#deps.notify("INVALID_LOGIN", {
            message: isServerNotProven(err)
              ? `${(err as Error).message} Log in again.`
              : "The server no longer accepts your saved login. Log in again.",
          });
          return;
        }
      }
      await new Promise<void>((r) => {
        const timer = setTimeout(r, backoffDelay(ceiling));
        this.#wake = () => {
          clearTimeout(timer);
          r();
        };
      });
      this.#wake = null;
      ceiling = Math.min(ceiling * 2, RETRY_MAX_MS);
    }
  }

  #handlers(attempt: number): EntityHandlers {
    const { notify, now, receiver } = this.#deps;
    return entityHandlers({ state: this.state, jid: this.jid, notify, now, receiver, current: () => attempt === this.#attempt });
  }

  #smStore(address: string): SmStore | undefined {
    return this.#deps.session && sessionSmStore(this.#deps.session, address);
  }

  /** Ends the session (unavailable presence + stream close); never reconnects. */
  async disconnect(): Promise<void> {
    this.#attempt++;
    const entity = this.#entity;
    this.#entity = null;
    this.#wake?.();
    this.state.value = "offline";
    this.jid.value = null;
    if (entity) await entity.stop().catch(() => {});
  }

  /** While reconnecting: try now (the network is back, or the user asked). */
  reconnectNow(): void {
    if (this.state.value !== "reconnecting") return;
    if (this.#wake) this.#wake();
    else this.#entity?.reconnectNow();
  }

  isOnline(): boolean {
    return this.state.value === "online" && this.#entity !== null;
  }

  /** What the current stream's features offer (namespaces; empty while offline). */
  streamFeatures(): ReadonlySet<string> {
    return this.#entity?.features() ?? new Set();
  }

  async send(el: Element): Promise<void> {
    if (!this.#entity || !this.isOnline()) throw new Error("Not connected.");
    await this.#entity.send(el);
  }

  /** Whether a sent message is "sent" only once the server acknowledges it (XEP-0198 enabled). */
  acknowledges(): boolean {
    return this.#entity?.acknowledges() ?? false;
  }

  async request(iq: Element): Promise<Element> {
    if (!this.#entity || !this.isOnline()) throw new Error("Not connected.");
    return this.#entity.request(iq);
  }
}
