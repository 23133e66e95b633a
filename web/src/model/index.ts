/** The model: every proxy, built once per facade. Deps are injectable so tests can use a fake entity. */
import { ChatsProxy } from "./chats-proxy";
import type { WasBlocked } from "./policy-watch";
import { RosterProxy } from "./roster-proxy";
import type { CreateEntity } from "./xmpp-entity";
import { type Notify, XmppProxy } from "./xmpp-proxy";

export interface ModelDeps {
  createEntity: CreateEntity;
  notify: Notify;
  location?: { protocol: string; host: string };
  fetch?: typeof fetch;
  now?: () => number;
  wasBlocked?: WasBlocked;
  /** Where the last address is remembered (never the password); absent in tests. */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
}

export interface Model {
  xmpp: XmppProxy;
  roster: RosterProxy;
  chats: ChatsProxy;
  storage: ModelDeps["storage"];
  now: () => number;
}

export function createModel(deps: ModelDeps): Model {
  const now = deps.now ?? Date.now;
  return {
    xmpp: new XmppProxy({
      createEntity: deps.createEntity,
      notify: deps.notify,
      location: deps.location ?? globalThis.location ?? { protocol: "http:", host: "localhost" },
      fetch: deps.fetch ?? ((...args) => globalThis.fetch(...args)),
      now,
      wasBlocked: deps.wasBlocked ?? (() => false),
    }),
    roster: new RosterProxy(),
    chats: new ChatsProxy(),
    storage: deps.storage,
    now,
  };
}
