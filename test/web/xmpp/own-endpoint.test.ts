// This host's own XMPP WebSocket, found in its host-meta.json (web/src/model/xmpp/own-endpoint.ts; the
// document as worker/routes/well-known.ts serves it, XEP-0156 §3): only a link to this page's host is
// taken, the path is kept on the device for a start when host-meta cannot be read. The login through a
// non-default path in Chromium against wrangler dev and Prosody is test/e2e/pwa-login.test.ts.
import { describe, expect, it } from "vitest";
import { createFacade } from "../../../web/src/app/facade";
import {
  HOST_META_TIMEOUT_MS,
  ownWebsocket,
  ownWebsocketPath,
  WEBSOCKET_PATH_KEY,
} from "../../../web/src/model/xmpp/own-endpoint";
import { receiver } from "../../../web/src/model/xmpp/xmpp-receive";
import { FakeServer } from "../support/fake-server";

const REL = "urn:xmpp:alt-connections:websocket";
const HERE = { protocol: "http:", host: "chat.test" };
const SECURE = { protocol: "https:", host: "chat.example.org" };
const HOST_META_URL = "http://chat.test/.well-known/host-meta.json";

/** host-meta.json exactly as the worker renders it (routes/well-known.ts hostMetaJson). */
const hostMeta = (...hrefs: string[]) => ({ links: hrefs.map((href) => ({ rel: REL, href })) });

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  };
}

/** A fetch that answers this host's host-meta.json with `answer` and records every URL asked. */
function hostMetaFetch(answer: () => Response | Promise<Response>) {
  const asked: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    asked.push(String(input));
    return String(input) === HOST_META_URL ? answer() : new Response("", { status: 404 });
  }) as typeof globalThis.fetch;
  return { asked, fetch };
}

describe("the path of this host's WebSocket in its host-meta.json", () => {
  it("is the path of the link to this host, ws: or wss:, whatever the case of the host", () => {
    expect(ownWebsocketPath(hostMeta("ws://chat.test/chat/ws"), "chat.test")).toBe("/chat/ws");
    expect(ownWebsocketPath(hostMeta("wss://Chat.Example.org/x"), "chat.example.org")).toBe("/x");
    expect(ownWebsocketPath(hostMeta("ws://127.0.0.1:8787/ws"), "127.0.0.1:8787")).toBe("/ws");
  });

  it("never comes from a link to another host, nor another port of this one", () => {
    expect(ownWebsocketPath(hostMeta("wss://relay.example/xmpp"), "chat.test")).toBeNull();
    expect(ownWebsocketPath(hostMeta("wss://chat.test.evil.example/xmpp"), "chat.test")).toBeNull();
    expect(ownWebsocketPath(hostMeta("ws://chat.test:8080/xmpp"), "chat.test")).toBeNull();
    expect(ownWebsocketPath(hostMeta("wss://relay.example/a", "wss://chat.test/b"), "chat.test")).toBe("/b");
  });

  it("takes only plain ws:/wss: URLs without credentials, query or an odd path", () => {
    expect(ownWebsocketPath(hostMeta("https://chat.test/xmpp"), "chat.test")).toBeNull();
    expect(ownWebsocketPath(hostMeta("wss://u:p@chat.test/xmpp"), "chat.test")).toBeNull();
    expect(ownWebsocketPath(hostMeta("wss://u@chat.test/xmpp"), "chat.test")).toBeNull();
    expect(ownWebsocketPath(hostMeta("wss://chat.test/xmpp#x"), "chat.test")).toBeNull();
    expect(ownWebsocketPath(hostMeta("wss://chat.test/xmpp?to=relay.example"), "chat.test")).toBeNull();
    expect(ownWebsocketPath(hostMeta("wss://chat.test/a%2F..%2Fb"), "chat.test")).toBeNull();
    expect(ownWebsocketPath(hostMeta("not a url"), "chat.test")).toBeNull();
    expect(
      ownWebsocketPath({ links: [{ rel: "urn:xmpp:alt-connections:xbosh", href: "wss://chat.test/b" }] }, "chat.test"),
    ).toBeNull();
    expect(ownWebsocketPath({ links: [{ rel: REL, href: 42 }] }, "chat.test")).toBeNull();
    expect(ownWebsocketPath({ links: "nope" }, "chat.test")).toBeNull();
    expect(ownWebsocketPath(null, "chat.test")).toBeNull();
  });
});

describe("this host's WebSocket", () => {
  it("is opened at the path host-meta names, on this page's origin and scheme, and the path is kept", async () => {
    const storage = memoryStorage();
    const { asked, fetch } = hostMetaFetch(() => Response.json(hostMeta("ws://chat.test/chat/ws")));
    expect(await ownWebsocket({ location: HERE, fetch, storage })).toBe("ws://chat.test/chat/ws");
    expect(asked).toEqual([HOST_META_URL]);
    expect(storage.items.get(WEBSOCKET_PATH_KEY)).toBe("/chat/ws");
    // Under https the page's scheme wins, whatever the link says.
    const secure = (async () => Response.json(hostMeta("ws://chat.example.org/x"))) as unknown as typeof globalThis.fetch;
    expect(await ownWebsocket({ location: SECURE, fetch: secure })).toBe("wss://chat.example.org/x");
  });

  it("falls back to the kept path, else /xmpp-websocket, when host-meta fails, is missing or names another host", async () => {
    const kept = () => memoryStorage({ [WEBSOCKET_PATH_KEY]: "/kept/ws" });
    const failing = [
      () => Promise.reject(new TypeError("Failed to fetch")),
      () => new Response("XMPP is not enabled on this host\n", { status: 404 }),
      () => new Response("{ not json", { headers: { "content-type": "application/json" } }),
      () => Response.json(hostMeta("wss://relay.example/xmpp")),
    ];
    for (const answer of failing) {
      const storage = kept();
      expect(await ownWebsocket({ location: HERE, fetch: hostMetaFetch(answer).fetch, storage })).toBe("ws://chat.test/kept/ws");
      expect(storage.items.get(WEBSOCKET_PATH_KEY)).toBe("/kept/ws");
      expect(await ownWebsocket({ location: HERE, fetch: hostMetaFetch(answer).fetch })).toBe("ws://chat.test/xmpp-websocket");
    }
    // A kept value that is not a plain path is not used, nor is a storage that refuses to be read.
    const down = hostMetaFetch(() => Promise.reject(new TypeError("Failed to fetch")));
    for (const odd of ["//relay.example/ws", "/a/../b", "/a/./b"]) {
      const storage = memoryStorage({ [WEBSOCKET_PATH_KEY]: odd });
      expect(await ownWebsocket({ location: HERE, fetch: down.fetch, storage })).toBe("ws://chat.test/xmpp-websocket");
    }
    const refusing = {
      getItem: () => {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
      setItem: () => {},
    };
    expect(await ownWebsocket({ location: HERE, fetch: down.fetch, storage: refusing })).toBe("ws://chat.test/xmpp-websocket");
  });

  it("offline: host-meta is not asked, the kept path is used", async () => {
    const { asked, fetch } = hostMetaFetch(() => Response.json(hostMeta("ws://chat.test/new")));
    const storage = memoryStorage({ [WEBSOCKET_PATH_KEY]: "/kept/ws" });
    expect(await ownWebsocket({ location: HERE, fetch, storage, online: () => false })).toBe("ws://chat.test/kept/ws");
    expect(asked).toEqual([]);
  });

  it("a host-meta that does not answer within 3 s (HOST_META_TIMEOUT_MS) gives way to the kept path", async () => {
    const hung = (async (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof globalThis.fetch;
    const started = Date.now();
    const storage = memoryStorage({ [WEBSOCKET_PATH_KEY]: "/kept/ws" });
    expect(await ownWebsocket({ location: HERE, fetch: hung, storage })).toBe("ws://chat.test/kept/ws");
    const waited = Date.now() - started;
    expect(HOST_META_TIMEOUT_MS).toBe(3000);
    expect(waited).toBeGreaterThanOrEqual(2950);
    expect(waited).toBeLessThan(4500);
  }, 10_000);
});

describe("a login without an explicit WebSocket URL", () => {
  async function login(opts: { websocketUrl?: string; reachable: string; answer: () => Response | Promise<Response> }) {
    const server = new FakeServer();
    server.reachable.clear();
    server.reachable.add(opts.reachable);
    const { asked, fetch } = hostMetaFetch(opts.answer);
    const storage = { ...memoryStorage(), removeItem: () => {} };
    const facade = createFacade({
      createEntity: server.createEntity,
      receiver,
      location: HERE,
      fetch,
      now: () => 1_700_000_000_000,
      wasBlocked: () => false,
      online: () => true,
      connectPolicy: async () => null,
      storage,
    });
    const online: string[] = [];
    facade.subscribe("VALID_LOGIN", ({ jid }) => online.push(jid));
    await facade.send("LOGIN", { address: "alice@chat.test", password: "secret", websocketUrl: opts.websocketUrl ?? "" });
    await facade.idle();
    return { online, asked, opened: server.entities.map((e) => e.options.service), storage };
  }

  it("opens this host's WebSocket at the path its host-meta names", async () => {
    const { online, opened, storage } = await login({
      reachable: "ws://chat.test/chat/ws",
      answer: () => Response.json(hostMeta("ws://chat.test/chat/ws")),
    });
    expect(opened).toEqual(["ws://chat.test/chat/ws"]);
    expect(online).toHaveLength(1);
    expect(storage.items.get(WEBSOCKET_PATH_KEY)).toBe("/chat/ws");
  });

  it("with an explicit URL, asks no host-meta of this host", async () => {
    const { opened, asked } = await login({
      websocketUrl: "wss://xmpp.example.org/ws",
      reachable: "wss://xmpp.example.org/ws",
      answer: () => Response.json(hostMeta("ws://chat.test/chat/ws")),
    });
    expect(opened).toEqual(["wss://xmpp.example.org/ws"]);
    expect(asked).not.toContain(HOST_META_URL);
  });
});
