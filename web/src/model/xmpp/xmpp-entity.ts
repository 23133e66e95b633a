/**
 * The narrow surface of an XMPP client entity the XMPP proxy needs. The real one wraps @xmpp/client
 * (xmpp-client.ts); unit tests hand in a fake that captures outgoing stanzas, as xmpp.js's own tests do.
 */
import type { Element } from "@xmpp/xml";
import type { ScramKeys } from "../auth/scram-sha-1";
import type { SmStore } from "./sm-store";

export interface EntityOptions {
  /** ws:// or wss:// URL of the XMPP WebSocket endpoint (RFC 7395). */
  service: string;
  domain: string;
  username: string;
  /** Empty when resuming with saved SCRAM keys. */
  password: string;
  resource: string;
  /** Saved SCRAM keys standing in for the password (SCRAM-SHA-1 only). */
  scram?: ScramKeys;
  /** Receives the SCRAM keys computed while logging in (to save them). */
  onScramKeys?: (keys: ScramKeys) => void;
  /** Keeps the XEP-0198 session resumable across a page reload (sm-store.ts); the first connection resumes from it. */
  smStore?: SmStore;
}

export interface EntityHandlers {
  /** xmpp.js connection status: connecting, connect, opening, open, online, disconnect, offline... */
  status(status: string): void;
  /** The session is ready (after login and after each automatic reconnection); full JID; whether it was resumed (XEP-0198). */
  online(jid: string, resumed: boolean): void;
  stanza(element: Element): void;
  error(error: Error): void;
  /** An incoming roster push iq (RFC 6121 §2.1.6); return true to acknowledge it. */
  rosterPush(iq: Element): boolean;
  /** An incoming blocklist push iq (XEP-0191 §3.3-3.4); return true to acknowledge it. */
  blockPush(iq: Element): boolean;
  /** Ids of messages sent but never acknowledged (XEP-0198) by a session that could not be resumed. */
  lost(ids: string[]): void;
  /** Ids of messages the server acknowledged (XEP-0198 §4): it has them now. */
  acknowledged(ids: string[]): void;
}

export interface XmppEntity {
  /** Connects and authenticates; resolves when online, rejects with the failure (SASLError, socket error...). */
  start(): Promise<void>;
  /** Closes the stream and the socket; never reconnects afterwards. */
  stop(): Promise<void>;
  send(element: Element): Promise<void>;
  /** Whether the server acknowledges what is sent (XEP-0198 enabled): then a sent message counts as
   * "sent" only when `acknowledged` names it; a write into the socket alone proves nothing. */
  acknowledges(): boolean;
  /** Sends an iq get/set and resolves with the result iq (rejects on an error iq or a timeout). */
  request(iq: Element): Promise<Element>;
  /** Namespaces of the current stream's features (RFC 6120 §4.3.2), e.g. urn:xmpp:csi:0. */
  features(): ReadonlySet<string>;
  /** While disconnected: try to reconnect now instead of waiting for the next scheduled attempt. */
  reconnectNow(): void;
}

export type CreateEntity = (options: EntityOptions, handlers: EntityHandlers) => XmppEntity;
