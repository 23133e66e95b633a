/**
 * Types for the parts of xmpp.js 0.14 the PWA (and the tests' Node clients) use. xmpp.js ships no
 * TypeScript declarations; these follow its sources in node_modules/@xmpp/.
 */
declare module "@xmpp/xml" {
  export type Child = Element | string;
  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: Child[];
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getNS(): string | undefined;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getChildElements(): Element[];
    text(): string;
    append(...children: Child[]): Element;
    toString(): string;
  }
  export function xml(
    name: string,
    attrs?: Record<string, string | undefined> | null,
    ...children: Array<Child | null | undefined | false | Child[]>
  ): Element;
}

declare module "@xmpp/client-core" {
  import type { Element } from "@xmpp/xml";

  export type { Child, Element } from "@xmpp/xml";
  export { xml } from "@xmpp/xml";

  export interface SaslFactory {
    use(mech: unknown): SaslFactory;
    use(name: string, mech: unknown): SaslFactory;
  }
  export type Authenticate = (
    credentials: { username: string; password: string; [extra: string]: unknown },
    mechanism: string,
  ) => Promise<void>;
  export type OnAuthenticate = (authenticate: Authenticate, mechanisms: string[]) => Promise<void>;
  export interface IqContext {
    stanza: Element;
    from: { toString(): string } | null;
  }
  export interface IqCaller {
    request(stanza: Element, timeout?: number): Promise<Element>;
  }
  export interface IqCallee {
    set(ns: string, name: string, handler: (ctx: IqContext) => Element | boolean | object | Promise<Element | boolean>): void;
    get(ns: string, name: string, handler: (ctx: IqContext) => Element | boolean | object | Promise<Element | boolean>): void;
  }
  export interface Reconnect {
    delay: number;
    start(): void;
    stop(): void;
    reconnect(): Promise<void>;
  }

  /** The connection entity (@xmpp/connection + @xmpp/client-core). */
  export class Client {
    constructor(options: { service: string; domain: string; timeout?: number; lang?: string });
    status: string;
    jid: { toString(): string } | null;
    /** The transport socket while attached (@xmpp/websocket's Socket). */
    socket: { end(): void } | null;
    on(event: "status", listener: (status: string) => void): this;
    on(event: "online", listener: (jid: { toString(): string }) => void): this;
    on(event: "stanza" | "nonza" | "element" | "send", listener: (element: Element) => void): this;
    on(event: "error", listener: (error: Error) => void): this;
    removeListener(event: "nonza", listener: (element: Element) => void): this;
    prependListener(event: "element", listener: (element: Element) => void): this;
    /** Sets the status and emits it (status + named event); `_status("online", jid)` after a resumption. */
    _status(status: string, ...args: unknown[]): void;
    /** Sets `jid` (what resource binding does; a resumption after a reload restores it instead). */
    _jid(id: string): unknown;
    disconnect(): Promise<void>;
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(element: Element): Promise<void>;
  }
}

declare module "@xmpp/client" {
  import type { Element, Client as Entity, IqCallee, IqCaller, OnAuthenticate, Reconnect, SaslFactory } from "@xmpp/client-core";

  export type { Element } from "@xmpp/client-core";
  export { xml } from "@xmpp/client-core";
  export interface Client extends Entity {
    saslFactory: SaslFactory;
    reconnect: Reconnect;
    iqCaller: IqCaller;
    iqCallee: IqCallee;
  }
  export interface ClientOptions {
    service: string;
    domain: string;
    resource?: string;
    username?: string;
    password?: string;
    credentials?: OnAuthenticate;
    timeout?: number;
    userAgent?: Element;
  }
  export function client(options: ClientOptions): Client;
}

declare module "@xmpp/reconnect" {
  import type { Client, Reconnect } from "@xmpp/client-core";
  export default function reconnect(deps: { entity: Client }): Reconnect;
}
declare module "@xmpp/websocket" {
  import type { Client } from "@xmpp/client-core";
  export default function websocket(deps: { entity: Client }): void;
}
declare module "@xmpp/middleware" {
  import type { Client } from "@xmpp/client-core";
  export interface Middleware {
    readonly __middleware: unique symbol;
  }
  export default function middleware(deps: { entity: Client }): Middleware;
}
declare module "@xmpp/stream-features" {
  import type { Client, Element } from "@xmpp/client-core";
  import type { Middleware } from "@xmpp/middleware";
  export interface StreamFeatures {
    readonly __streamFeatures: unique symbol;
    /** Runs `handler` when the <stream:features/> offer a child `name` in `xmlns`; `next()` goes on. */
    use(
      name: string,
      xmlns: string,
      handler: (ctx: { entity: Client }, next: () => Promise<void>, feature: Element) => Promise<void>,
    ): void;
  }
  export default function streamFeatures(deps: { middleware: Middleware }): StreamFeatures;
}
declare module "@xmpp/iq/caller.js" {
  import type { Client, IqCaller } from "@xmpp/client-core";
  import type { Middleware } from "@xmpp/middleware";
  export default function iqCaller(deps: { middleware: Middleware; entity: Client }): IqCaller;
}
declare module "@xmpp/iq/callee.js" {
  import type { Client, IqCallee } from "@xmpp/client-core";
  import type { Middleware } from "@xmpp/middleware";
  export default function iqCallee(deps: { middleware: Middleware; entity: Client }): IqCallee;
}
declare module "@xmpp/sasl" {
  import type { OnAuthenticate, SaslFactory } from "@xmpp/client-core";
  import type { StreamFeatures } from "@xmpp/stream-features";
  export default function sasl(
    deps: { streamFeatures: StreamFeatures; saslFactory: SaslFactory },
    onAuthenticate: OnAuthenticate,
  ): void;
}
declare module "@xmpp/resource-binding" {
  import type { IqCaller } from "@xmpp/client-core";
  import type { StreamFeatures } from "@xmpp/stream-features";
  export default function resourceBinding(deps: { iqCaller: IqCaller; streamFeatures: StreamFeatures }, resource: string): void;
}
declare module "saslmechanisms" {
  import type { SaslFactory } from "@xmpp/client-core";
  export default class Factory implements SaslFactory {
    use(mech: unknown): SaslFactory;
    use(name: string, mech: unknown): SaslFactory;
  }
}
declare module "@xmpp/sasl-plain" {
  import type { SaslFactory } from "@xmpp/client-core";
  export default function saslPlain(factory: SaslFactory): void;
}
