/**
 * The small part of @xmpp/client 0.14 (and the SCRAM-SHA-1 plugin) that the PWA uses, typed.
 * xmpp.js ships no TypeScript declarations; these follow its sources in node_modules/@xmpp/.
 */
declare module "@xmpp/client" {
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

  export interface SaslFactory {
    use(mech: unknown): SaslFactory;
  }
  export type Authenticate = (credentials: { username: string; password: string }, mechanism: string) => Promise<void>;
  export type OnAuthenticate = (authenticate: Authenticate, mechanisms: string[]) => Promise<void>;

  export interface IqContext {
    stanza: Element;
    from: { toString(): string } | null;
  }
  export interface Client {
    status: string;
    jid: { toString(): string } | null;
    saslFactory: SaslFactory;
    reconnect: { stop(): void; start(): void; delay: number };
    iqCaller: { request(stanza: Element, timeout?: number): Promise<Element> };
    iqCallee: {
      set(ns: string, name: string, handler: (ctx: IqContext) => Element | boolean | Promise<Element | boolean>): void;
    };
    on(event: "status", listener: (status: string) => void): Client;
    on(event: "online", listener: (jid: { toString(): string }) => void): Client;
    on(event: "stanza" | "element", listener: (element: Element) => void): Client;
    on(event: "error", listener: (error: Error) => void): Client;
    prependListener(event: "element", listener: (element: Element) => void): Client;
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(element: Element): Promise<void>;
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

declare module "@xmpp/sasl-scram-sha-1" {
  import type { SaslFactory } from "@xmpp/client";
  export default function scramSha1(factory: SaslFactory): void;
}
