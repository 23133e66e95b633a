// The service worker's knowledge of the XMPP WebSocket's path (web/src/pwa/websocket-path.ts): what
// this host's host-meta.json names (worker/routes/well-known.ts), kept across the worker's restarts.
import { describe, expect, it } from "vitest";
import { servesShell } from "../../../web/src/pwa/routes";
import { type PathKeeper, WebsocketPath } from "../../../web/src/pwa/websocket-path";

function memoryKeeper(): PathKeeper & { kept: string | null } {
  const keeper = {
    kept: null as string | null,
    get: async () => keeper.kept,
    put: async (path: string) => {
      keeper.kept = path;
    },
  };
  return keeper;
}

/** This host's host-meta.json naming `href` as its WebSocket; counts the requests. */
function hostMeta(href: string) {
  const asked: string[] = [];
  const fetcher: typeof fetch = async (url) => {
    asked.push(String(url));
    return Response.json({ links: [{ rel: "urn:xmpp:alt-connections:websocket", href }] });
  };
  return { asked, fetcher };
}

const start = (fetcher: typeof fetch, keeper: PathKeeper) =>
  new WebsocketPath({ host: "chat.test", origin: "https://chat.test", fetch: fetcher, keeper });

describe("the service worker's XMPP WebSocket path", () => {
  it("is /xmpp-websocket until host-meta names another, then that one, also after a restart", async () => {
    const keeper = memoryKeeper();
    const { asked, fetcher } = hostMeta("wss://chat.test/chat/xmpp");
    const sw = start(fetcher, keeper);
    expect(await sw.current()).toBe("/xmpp-websocket");
    await sw.refresh();
    await sw.refresh();
    expect(asked).toEqual(["https://chat.test/.well-known/host-meta.json"]);
    expect(await sw.current()).toBe("/chat/xmpp");
    expect(servesShell("/chat/xmpp", await sw.current())).toBe(false);

    // Restarted (a service worker is stopped when idle): the kept path at once, no request needed.
    const offline: typeof fetch = async () => {
      throw new TypeError("Failed to fetch");
    };
    const again = start(offline, keeper);
    expect(await again.current()).toBe("/chat/xmpp");
    await again.refresh();
    expect(await again.current()).toBe("/chat/xmpp");
  });

  it("follows a path the operator changed, at the next start", async () => {
    const keeper = memoryKeeper();
    keeper.kept = "/old-ws";
    const sw = start(hostMeta("wss://chat.test/new-ws").fetcher, keeper);
    expect(await sw.current()).toBe("/old-ws");
    await sw.refresh();
    expect(await sw.current()).toBe("/new-ws");
    expect(keeper.kept).toBe("/new-ws");
  });

  it("ignores another host's WebSocket, a path the worker could not serve and a kept value that is not a path", async () => {
    for (const href of ["wss://elsewhere.example/ws", "wss://chat.test/a%20b", "https://chat.test/ws"]) {
      const keeper = memoryKeeper();
      const sw = start(hostMeta(href).fetcher, keeper);
      await sw.refresh();
      expect(await sw.current(), href).toBe("/xmpp-websocket");
      expect(keeper.kept, href).toBeNull();
    }
    const keeper = memoryKeeper();
    keeper.kept = "javascript:alert(1)";
    expect(await start(hostMeta("wss://elsewhere.example/ws").fetcher, keeper).current()).toBe("/xmpp-websocket");
  });
});
