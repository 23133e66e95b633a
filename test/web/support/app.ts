/** Builds a facade over a FakeServer and records every notification, for command tests. */
import { createFacade, type Facade } from "../../../web/src/app/facade";
import type { NotificationName, Notifications } from "../../../web/src/app/notifications";
import { type AvatarCache, memoryAvatarCache } from "../../../web/src/model/avatars/avatar-cache";
import type { HistoryStore } from "../../../web/src/model/device/history-store";
import { parseConnectPolicy } from "../../../web/src/model/site/csp";
import { receiver } from "../../../web/src/model/xmpp/xmpp-receive";
import { FakeServer } from "./fake-server";

export interface TestApp {
  facade: Facade;
  server: FakeServer;
  heard: Array<{ name: NotificationName; body: unknown }>;
  names: () => NotificationName[];
  storage: Map<string, string>;
  login: (password?: string) => Promise<void>;
}

const ALL: NotificationName[] = [
  "VALID_LOGIN",
  "INVALID_LOGIN",
  "UNREACHABLE",
  "ONLINE",
  "DISCONNECT",
  "RECEIVE_MESSAGE",
  "RECEIVE_PRESENCE",
  "RECEIVE_ROSTER_PUSH",
  "COMMAND_FAILED",
  "CONTACT_DONE",
];

export function testApp(
  fetcher?: typeof fetch,
  blocked: readonly string[] = [],
  store?: HistoryStore,
  server = new FakeServer(),
  /** The page's Content-Security-Policy header; null = unknown (the HEAD failed). */
  csp: string | null = "",
  /** Where avatars are kept (in memory by default). */
  avatarCache: AvatarCache = memoryAvatarCache(),
): TestApp {
  const storage = new Map<string, string>();
  const facade = createFacade({
    createEntity: server.createEntity,
    receiver,
    location: { protocol: "http:", host: "chat.test" },
    fetch: fetcher ?? (async () => new Response("", { status: 404 })),
    now: () => 1_700_000_000_000,
    wasBlocked: (url) => blocked.some((b) => url.startsWith(b)),
    connectPolicy: async () => (csp === null ? null : parseConnectPolicy(csp)),
    store,
    avatarCache,
    storage: {
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => void storage.set(k, v),
      removeItem: (k) => void storage.delete(k),
    },
  });
  const heard: TestApp["heard"] = [];
  for (const name of ALL) facade.subscribe(name, (body: Notifications[typeof name]) => heard.push({ name, body }));
  return {
    facade,
    server,
    heard,
    storage,
    names: () => heard.map((h) => h.name),
    login: async (password = "secret") => {
      await facade.send("LOGIN", { address: "alice@example.org", password, websocketUrl: "" });
      await facade.idle();
    },
  };
}

/** Lets microtask-coalesced signal updates (the roster's version bump) land. */
export const flush = () => new Promise<void>((r) => setTimeout(r, 0));
