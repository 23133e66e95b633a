/**
 * A fake XMPP entity for unit tests (after xmpp.js's own test helpers): captures every outgoing
 * stanza, answers roster iqs from an in-memory roster, and lets a test inject incoming stanzas,
 * roster pushes, drops and reconnections. No network, no timers.
 */
import { type Element, xml } from "@xmpp/client";
import type { CreateEntity, EntityHandlers, EntityOptions, XmppEntity } from "../../../web/src/model/xmpp/xmpp-entity";

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
    this.handlers.online(this.fullJid, false);
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
    const mam = iq.getChild("query", "urn:xmpp:mam:2");
    const room = iq.attrs.to as string | undefined;
    if (mam && room) {
      const archive = this.server.roomArchives.get(room);
      if (!archive) throw Object.assign(new Error("service-unavailable"), { condition: "service-unavailable" });
      return this.server.archiveQuery(mam, (el) => this.handlers.stanza(el), room, archive);
    }
    if (mam) return this.server.archiveQuery(mam, (el) => this.handlers.stanza(el), this.fullJid.split("/")[0] as string);
    const answer = this.server.iqHandler?.(iq);
    if (answer instanceof Error) throw answer;
    if (answer) return answer;
    return this.server.answer(iq);
  }

  /** Whether this fake plays a server with stream management (XEP-0198): then sends wait for `ack`. */
  streamManagement = false;
  acknowledges(): boolean {
    return this.streamManagement;
  }
  /** The server acknowledges these messages (XEP-0198 <a/>). */
  ack(ids: string[]): void {
    this.handlers.acknowledged(ids);
  }

  reconnectNow(): void {
    this.reconnectsRequested++;
  }

  features(): ReadonlySet<string> {
    return this.server.streamFeatures;
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
    this.handlers.online(this.fullJid, false);
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

  /** Rooms' own archives (XEP-0313 on a room JID), by room; a room without one answers service-unavailable. */
  readonly roomArchives = new Map<string, Array<{ id: string; message: Element; stamp: string }>>();
  /** Answers iqs before the defaults (a result, or an Error to reject with); undefined: the defaults. */
  iqHandler: ((iq: Element) => Element | Error | undefined) | null = null;

  /** The message archive (XEP-0313): archive id → message, oldest first. */
  archive: Array<{ id: string; message: Element; stamp: string }> = [];
  /** Namespaces of the stream features after login (e.g. urn:xmpp:csi:0). */
  streamFeatures = new Set<string>();
  /** Answers for iqs the fake does not know (disco, pubsub, vCard, blocking): null passes on. */
  responders: Array<(iq: Element) => Element | null> = [];
  /** SCRAM ClientKey accepted in place of the password (what a resumed session presents). */
  clientKey = "client-key-1";

  outcome(options: EntityOptions): Error | null {
    if (!this.reachable.has(options.service))
      return Object.assign(new Error(`WebSocket ECONNERROR ${options.service}`), { code: "ECONNERROR" });
    if (options.scram && !options.password) {
      return options.scram.clientKey === this.clientKey ? null : new SaslFailure("credentials-expired");
    }
    if (this.accounts.get(options.username) !== options.password) return new SaslFailure("not-authorized");
    options.onScramKeys?.({ salt: "c2FsdA==", iterations: 4096, clientKey: this.clientKey });
    return null;
  }

  /**
   * Answers an archive query as Prosody 0.12 does: each result as a message (XEP-0313 §4.1.2), then the
   * <fin/> iq with RSM first/last. Filters `with` (either side's bare JID) and `end`; pages `after` an id
   * (complete when it reached the newest) or `before` one (empty: the newest page; complete when it
   * reached the oldest).
   */
  archiveQuery(
    query: Element,
    deliver: (el: Element) => void,
    own: string,
    archive: Array<{ id: string; message: Element; stamp: string }> = this.archive,
  ): Element {
    const rsm = query.getChild("set", "http://jabber.org/protocol/rsm");
    const fields = new Map(
      (query.getChild("x", "jabber:x:data")?.getChildren("field") ?? []).map((f) => [
        f.attrs.var as string,
        f.getChildText("value"),
      ]),
    );
    const bare = (jid: unknown) => String(jid ?? "").split("/")[0];
    const withJid = fields.get("with");
    const end = fields.get("end") ? Date.parse(fields.get("end") as string) : null;
    const items = archive.filter(
      (a) =>
        (!withJid || bare(a.message.attrs.from) === withJid || bare(a.message.attrs.to) === withJid) &&
        (end === null || Date.parse(a.stamp) <= end),
    );
    const after = rsm?.getChildText("after");
    const before = rsm?.getChild("before") ? (rsm.getChildText("before") ?? "") : null;
    const max = Number(rsm?.getChildText("max") ?? 100);
    let page: typeof items;
    let complete: boolean;
    if (before !== null && before !== "") {
      const stop = items.findIndex((a) => a.id === before);
      if (stop < 0) throw new Error("item-not-found");
      page = items.slice(Math.max(0, stop - max), stop);
      complete = stop - max <= 0;
    } else if (before === "") {
      page = items.slice(-max);
      complete = items.length <= max;
    } else {
      const start = after ? items.findIndex((a) => a.id === after) + 1 : 0;
      if (after && start === 0) throw new Error("item-not-found");
      page = after ? items.slice(start, start + max) : items.slice(-max);
      complete = !after || start + max >= items.length;
    }
    for (const a of page) {
      deliver(
        xml(
          "message",
          { from: own, to: own },
          xml(
            "result",
            { xmlns: "urn:xmpp:mam:2", queryid: query.attrs.queryid, id: a.id },
            xml(
              "forwarded",
              { xmlns: "urn:xmpp:forward:0" },
              xml("delay", { xmlns: "urn:xmpp:delay", stamp: a.stamp }),
              a.message,
            ),
          ),
        ),
      );
    }
    return xml(
      "iq",
      { type: "result" },
      xml(
        "fin",
        { xmlns: "urn:xmpp:mam:2", complete: String(complete) },
        xml(
          "set",
          { xmlns: "http://jabber.org/protocol/rsm" },
          page.length ? [xml("first", {}, page[0]?.id ?? ""), xml("last", {}, page.at(-1)?.id ?? "")] : null,
        ),
      ),
    );
  }

  answer(iq: Element): Element {
    for (const respond of this.responders) {
      const reply = respond(iq);
      if (reply) return reply;
    }
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
