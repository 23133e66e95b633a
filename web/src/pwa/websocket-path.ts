/**
 * The service worker's idea of where this host's XMPP WebSocket is (XMPP_WEBSOCKET_PATH, a deployment
 * variable), so that a navigation there goes to the network and never gets the app shell (routes.ts):
 * what this host's XEP-0156 host-meta.json last named (own-endpoint.ts reads it the same way, for the
 * page), kept in Cache Storage across the worker's restarts, /xmpp-websocket until it has named one.
 * Read again once per service worker start, in the background: a navigation never waits on the network
 * for it. Pure of Workbox, so it is unit-tested in Node.
 */
import { DEFAULT_WEBSOCKET_PATH } from "../model/xmpp/discovery";
import { ownWebsocketPath, plainPath } from "../model/xmpp/own-endpoint";

/** Where the path is kept between starts of the service worker (Cache Storage, one entry). */
export interface PathKeeper {
  get(): Promise<string | null>;
  put(path: string): Promise<void>;
}

/** The Cache Storage entry (not a Workbox precache: cleanupOutdatedCaches leaves it alone). */
const CACHE = "porthole-websocket-path";
const ENTRY = "/websocket-path";

export function cacheKeeper(caches: CacheStorage): PathKeeper {
  return {
    get: async () => {
      const res = await (await caches.open(CACHE)).match(ENTRY);
      return res ? res.text() : null;
    },
    put: async (path) => {
      await (await caches.open(CACHE)).put(ENTRY, new Response(path));
    },
  };
}

export interface WebsocketPathDeps {
  /** This host (the service worker's location.host). */
  host: string;
  /** This host's origin, where host-meta is asked. */
  origin: string;
  fetch: typeof fetch;
  keeper: PathKeeper;
}

export class WebsocketPath {
  #path: Promise<string> | null = null;
  #refreshed: Promise<void> | null = null;
  readonly #deps: WebsocketPathDeps;

  constructor(deps: WebsocketPathDeps) {
    this.#deps = deps;
  }

  /** The path as last known: from memory, else as kept, else /xmpp-websocket. Never asks the network. */
  current(): Promise<string> {
    this.#path ??= this.#deps.keeper.get().then(
      (kept) => plainPath(kept) ?? DEFAULT_WEBSOCKET_PATH,
      () => DEFAULT_WEBSOCKET_PATH,
    );
    return this.#path;
  }

  /** Asks this host's host-meta.json once per start; a path it names becomes current and is kept. */
  refresh(): Promise<void> {
    this.#refreshed ??= this.#ask();
    return this.#refreshed;
  }

  async #ask(): Promise<void> {
    const { origin, host, keeper } = this.#deps;
    try {
      const res = await this.#deps.fetch(`${origin}/.well-known/host-meta.json`, {
        headers: { accept: "application/json" },
        cache: "no-store",
      });
      const path = res.ok ? ownWebsocketPath(await res.json(), host) : null;
      if (!path) return;
      this.#path = Promise.resolve(path);
      await keeper.put(path);
    } catch {
      // Offline or unreadable: the path last known stays.
    }
  }
}
