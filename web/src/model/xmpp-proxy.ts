/**
 * XMPPProxy of the seed client, as signals: owns the XMPP entity (RFC 7395 WebSocket), the connection
 * state and my own presence; turns incoming stanzas into typed notifications via stanzas.ts.
 * Endpoint order: explicit URL, else this host's /xmpp-websocket, then XEP-0156 discovery; a URL the
 * page's own CSP forbids is never opened (the user is told to ask the operator instead).
 * A saved session (SCRAM keys, history-store.ts) resumes after a reload: "reconnecting" at once,
 * retried with jittered exponential back-off until the server answers or refuses the keys.
 */

import { signal } from "@preact/signals";
import type { Element } from "@xmpp/client-core";
import type { LoginRequest, MyShow, NotificationName, Notifications } from "../app/notifications";
import { backoffDelay } from "./backoff";
import { allowsConnect, type ConnectPolicy } from "./csp";
import { discoverWebsockets, explicitWebsocket, sameHostWebsocket } from "./discovery";
import type { SavedSession } from "./history-store";
import { bareJid, domainOf, isBareJid, localOf } from "./jid";
import type { WasBlocked } from "./policy-watch";
import type { ScramKeys } from "./scram-sha-1";
import { parsePresence, parseRosterPush } from "./stanzas";
import { parseAnyMessage } from "./stanzas-sync";
import type { CreateEntity, EntityHandlers, XmppEntity } from "./xmpp-entity";

export type ConnectionState = "offline" | "connecting" | "online" | "reconnecting";
export type Notify = <K extends NotificationName>(name: K, body: Notifications[K]) => void;

export interface XmppProxyDeps {
  createEntity: CreateEntity;
  notify: Notify;
  location: { protocol: string; host: string };
  fetch: typeof fetch;
  now: () => number;
  /** Whether the page's CSP refused a connection to this URL's origin (policy-watch.ts). */
  wasBlocked: WasBlocked;
  /** The page's CSP connect-src (csp.ts); null when unknown (offline), then every URL is tried. */
  connectPolicy: () => Promise<ConnectPolicy | null>;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

/** SASL conditions (RFC 6120 §6.5) meaning "these credentials will not work". */
const AUTH_FAILURES = new Set(["not-authorized", "account-disabled", "credentials-expired", "invalid-mechanism"]);

function isAuthFailure(err: unknown): boolean {
  const e = err as { name?: string; condition?: string };
  return e?.name === "SASLError" && AUTH_FAILURES.has(e.condition ?? "");
}

export class XmppProxy {
  readonly state = signal<ConnectionState>("offline");
  /** My full JID while a session exists. */
  readonly jid = signal<string | null>(null);
  readonly presence = signal<{ show: MyShow; status: string }>({ show: "available", status: "" });
  /** The address of the last successful login, to prefill the form. */
  readonly lastAddress = signal("");

  /** What resumes this session after a reload (SCRAM logins only); null otherwise. */
  saved: SavedSession | null = null;

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
    const { location } = this.#deps;
    const policy = await this.#deps.connectPolicy();
    if (attempt !== this.#attempt) return;
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
        candidates = await discoverWebsockets(domain, this.#deps.fetch, allowed, refuse);
        if (attempt !== this.#attempt) return;
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
      const entity = this.#deps.createEntity(
        {
          service: url,
          domain,
          username: localOf(address),
          password: req.password,
          resource: `porthole-${randomId()}`,
          onScramKeys: (k) => {
            keys = k;
          },
        },
        this.#handlers(attempt),
      );
      try {
        await entity.start();
      } catch (err) {
        await entity.stop().catch(() => {});
        if (attempt !== this.#attempt) return;
        if (isAuthFailure(err)) {
          this.state.value = "offline";
          notify("INVALID_LOGIN", { message: "Wrong address or password." });
          return;
        }
        lastError = err instanceof Error ? err.message : String(err);
        continue;
      }
      if (attempt !== this.#attempt) {
        await entity.stop().catch(() => {});
        return;
      }
      this.#entity = entity;
      this.saved = keys ? { address, service: url, scram: keys } : null;
      this.lastAddress.value = address;
      this.state.value = "online";
      const jid = this.jid.value ?? address;
      notify("VALID_LOGIN", { jid });
      notify("ONLINE", { jid, reconnected: false });
      return;
    }
    this.state.value = "offline";
    if (lastError) console.warn("XMPP connection failed:", lastError);
    // Violation reports are queued tasks: let them land before telling the two cases apart.
    await new Promise((r) => setTimeout(r, 0));
    for (const url of tried) if (this.#deps.wasBlocked(url)) refuse(url);
    if (refused.size) {
      const hosts = [...refused].join(", ");
      const ownDown = tried.has(own) && !refused.has(new URL(own).host) ? "Cannot reach this site's chat server. " : "";
      notify("UNREACHABLE", {
        message: `${ownDown}This site is not allowed to connect to ${hosts}: ask its operator to add ${refused.size > 1 ? "them" : "it"} to XMPP_CONNECT_SRC.`,
      });
      return;
    }
    notify("UNREACHABLE", {
      message: `Cannot reach the chat server for ${domain}. Check your connection, or set the server's WebSocket URL under Advanced.`,
    });
  }

  /**
   * Resumes a saved session without the password: "reconnecting" at once (the device history shows),
   * then tries until online. Refused keys end the session like a logout (LOGOUT + INVALID_LOGIN).
   */
  async resume(saved: SavedSession): Promise<void> {
    await this.disconnect();
    const attempt = ++this.#attempt;
    this.saved = saved;
    this.lastAddress.value = saved.address;
    this.jid.value = saved.address;
    this.state.value = "reconnecting";
    let ceiling = RETRY_MIN_MS;
    while (attempt === this.#attempt) {
      const entity = this.#deps.createEntity(
        {
          service: saved.service,
          domain: domainOf(saved.address),
          username: localOf(saved.address),
          password: "",
          resource: `porthole-${randomId()}`,
          scram: saved.scram,
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
        if (isAuthFailure(err)) {
          this.#deps.notify("LOGOUT", { clearHistory: false });
          this.#deps.notify("INVALID_LOGIN", { message: "The server no longer accepts your saved login. Log in again." });
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
    const current = () => attempt === this.#attempt;
    return {
      status: (status) => {
        if (!current() || this.state.value !== "online") return;
        if (status === "disconnect") {
          this.state.value = "reconnecting";
          this.#deps.notify("DISCONNECT", { reason: "The connection to the server was lost." });
        }
      },
      online: (jid) => {
        if (!current()) return;
        this.jid.value = jid;
        if (this.state.value === "reconnecting") {
          this.state.value = "online";
          this.#deps.notify("ONLINE", { jid, reconnected: true });
        }
      },
      stanza: (el) => {
        if (current()) this.#receive(el);
      },
      error: (err) => {
        // Credentials refused while reconnecting (password changed, account disabled): the session
        // is over; end it like a logout and ask for the password again.
        if (!current() || this.state.value !== "reconnecting" || !isAuthFailure(err)) return;
        this.#deps.notify("LOGOUT", { clearHistory: false });
        this.#deps.notify("INVALID_LOGIN", { message: "The server no longer accepts your password. Log in again." });
      },
      lost: (ids) => {
        if (current() && ids.length) this.#deps.notify("MESSAGES_LOST", { ids });
      },
      rosterPush: (iq) => {
        const items = current() && this.jid.value ? parseRosterPush(iq, this.jid.value) : null;
        if (!items) return false;
        this.#deps.notify("RECEIVE_ROSTER_PUSH", items);
        return true;
      },
    };
  }

  #receive(el: Element): void {
    if (el.is("message")) {
      const msg = parseAnyMessage(el, this.#deps.now(), this.bare);
      if (msg) this.#deps.notify("RECEIVE_MESSAGE", msg);
    } else if (el.is("presence")) {
      const p = parsePresence(el);
      if (p) this.#deps.notify("RECEIVE_PRESENCE", p);
    }
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

  async send(el: Element): Promise<void> {
    if (!this.#entity || !this.isOnline()) throw new Error("Not connected.");
    await this.#entity.send(el);
  }

  async request(iq: Element): Promise<Element> {
    if (!this.#entity || !this.isOnline()) throw new Error("Not connected.");
    return this.#entity.request(iq);
  }
}

function randomId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
