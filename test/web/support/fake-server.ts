/**
 * A fake XMPP entity for unit tests (after xmpp.js's own test helpers): captures every outgoing
 * stanza, answers roster iqs from an in-memory roster, and lets a test inject incoming stanzas,
 * roster pushes, drops and reconnections. No network, no timers.
 */
import { type Element, xml } from "@xmpp/client";
import type { CreateEntity, EntityHandlers, EntityOptions, XmppEntity } from "../../../web/src/model/xmpp-entity";

export class FakeEntity implements XmppEntity {
  readonly sent: Element[] = [];
  readonly requests: Element[] = [];
  stopped = false;
  reconnectsRequested = 0;
  constructor(
    readonly options: EntityOptions,
    readonly handlers: EntityHandlers,
    private readonly server: FakeServer,
  ) {}

  get fullJid(): string {
    return `${this.options.username}@${this.options.domain}/${this.options.resource}`;
  }

  async start(): Promise<void> {
    const outcome = this.server.outcome(this.options);
    if (outcome) throw outcome;
    this.handlers.status("online");
    this.handlers.online(this.fullJid);
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  async send(element: Element): Promise<void> {
    if (this.stopped) throw new Error("stopped");
    this.sent.push(element);
  }

  async request(iq: Element): Promise<Element> {
    this.requests.push(iq);
    return this.server.answer(iq);
  }

  reconnectNow(): void {
    this.reconnectsRequested++;
  }

  /** The server sends us a stanza. */
  receive(el: Element): void {
    this.handlers.stanza(el);
  }

  /** The connection drops, then (later) comes back as a new session. */
  drop(): void {
    this.handlers.status("disconnect");
  }
  reconnect(): void {
    this.handlers.status("online");
    this.handlers.online(this.fullJid);
  }
  /** A reconnection attempt whose credentials the server refuses. */
  reconnectRefused(): void {
    this.handlers.error(new SaslFailure("not-authorized"));
  }
}

export class SaslFailure extends Error {
  override name = "SASLError";
  constructor(readonly condition: string) {
    super(condition);
  }
}

export class FakeServer {
  readonly entities: FakeEntity[] = [];
  /** Accepted credentials: username → password. */
  readonly accounts = new Map<string, string>([["alice", "secret"]]);
  /** WebSocket URLs that answer; others fail like an unreachable socket. */
  readonly reachable = new Set<string>(["ws://chat.test/xmpp-websocket"]);
  /** The roster returned to a roster get: [jid, name, subscription]. */
  roster: Array<[string, string, string]> = [["bob@example.org", "Bob", "both"]];

  readonly createEntity: CreateEntity = (options, handlers) => {
    const entity = new FakeEntity(options, handlers, this);
    this.entities.push(entity);
    return entity;
  };

  get last(): FakeEntity {
    const e = this.entities.at(-1);
    if (!e) throw new Error("no entity created yet");
    return e;
  }

  outcome(options: EntityOptions): Error | null {
    if (!this.reachable.has(options.service))
      return Object.assign(new Error(`WebSocket ECONNERROR ${options.service}`), { code: "ECONNERROR" });
    if (this.accounts.get(options.username) !== options.password) return new SaslFailure("not-authorized");
    return null;
  }

  answer(iq: Element): Element {
    const query = iq.getChild("query", "jabber:iq:roster");
    if (query && iq.attrs.type === "get") {
      return xml(
        "iq",
        { type: "result" },
        xml(
          "query",
          { xmlns: "jabber:iq:roster" },
          ...this.roster.map(([jid, name, subscription]) => xml("item", { jid, name, subscription })),
        ),
      );
    }
    return xml("iq", { type: "result" });
  }
}

/** Every stanza sent by every entity, serialized, for readable assertions. */
export function sentXml(server: FakeServer): string[] {
  return server.entities.flatMap((e) => e.sent.map((s) => s.toString()));
}
