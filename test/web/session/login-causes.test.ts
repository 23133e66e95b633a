// Why a login found no endpoint, told apart (web/src/model/xmpp/xmpp-endpoints.ts unreachableMessage, with the
// site's /healthz read by site-health.ts): this site's chat server down, a host the CSP forbids, this device
// offline. Fake XMPP entity and a `fetch` stand-in; the same three causes in Chromium against wrangler dev
// and Prosody are test/e2e/pwa-login-causes.test.ts.
import { describe, expect, it } from "vitest";
import { createFacade } from "../../../web/src/app/facade";
import { parseConnectPolicy } from "../../../web/src/model/site/csp";
import { siteHealth } from "../../../web/src/model/site/site-health";
import { CHAT_DOWN, OFFLINE } from "../../../web/src/model/xmpp/xmpp-endpoints";
import { receiver } from "../../../web/src/model/xmpp/xmpp-receive";
import { FakeServer } from "../support/fake-server";

/** What the worker sends when only this host is allowed (no XMPP_CONNECT_SRC). */
const OWN_ONLY = "default-src 'none'; connect-src 'self' ws://chat.test/xmpp-websocket";
const HOST_META = { links: [{ rel: "urn:xmpp:alt-connections:websocket", href: "wss://xmpp.example.org/ws" }] };

/** The worker's /healthz with its XMPP upstream down (worker/routes/health.ts). */
const chatDown = () => Response.json({ ok: false, xmpp: { enabled: true, up: false, error: "unreachable" } }, { status: 503 });
const chatUp = () => Response.json({ ok: true, xmpp: { enabled: true, up: true, status: 200 } });

type Answer = () => Response | Promise<Response>;

/** A login of alice@example.org on http://chat.test whose own WebSocket fails; returns the message and what was fetched. */
async function failedLogin(opts: {
  healthz: Answer;
  hostMeta?: Answer;
  /** The page's CSP; null: unknown (its HEAD failed, as when offline). */
  csp?: string | null;
  online?: boolean;
  websocketUrl?: string;
}) {
  const asked: string[] = [];
  const server = new FakeServer();
  server.reachable.clear();
  const facade = createFacade({
    createEntity: server.createEntity,
    receiver,
    location: { protocol: "http:", host: "chat.test" },
    fetch: async (input) => {
      const url = String(input);
      asked.push(url);
      if (url === "http://chat.test/healthz") return opts.healthz();
      if (url.startsWith("https://example.org/.well-known/host-meta"))
        return (opts.hostMeta ?? (() => new Response("", { status: 404 })))();
      return new Response("", { status: 404 });
    },
    now: () => 1_700_000_000_000,
    wasBlocked: () => false,
    online: () => opts.online ?? true,
    connectPolicy: async () => (opts.csp === null ? null : parseConnectPolicy(opts.csp ?? OWN_ONLY)),
  });
  const messages: string[] = [];
  facade.subscribe("UNREACHABLE", ({ message }) => messages.push(message));
  await facade.send("LOGIN", { address: "alice@example.org", password: "secret", websocketUrl: opts.websocketUrl ?? "" });
  await facade.idle();
  return { message: messages.at(-1), asked, opened: server.entities.map((e) => e.options.service) };
}

describe("a failed login names its cause", () => {
  it("this site's chat server is down and the account has no other usable endpoint: 'not answering'", async () => {
    const { message, asked, opened } = await failedLogin({ healthz: chatDown });
    expect(message).toBe("This site's chat server is not answering. Try again in a moment.");
    expect(message).toBe(CHAT_DOWN);
    expect(opened).toEqual(["ws://chat.test/xmpp-websocket"]);
    // Discovery on example.org is forbidden by the CSP, so never fetched: only the site's own host-meta
    // (where its WebSocket is) and /healthz.
    expect(asked).toEqual(["http://chat.test/.well-known/host-meta.json", "http://chat.test/healthz"]);
  });

  it("the site's chat server is up: the CSP hint stays (the account's server is elsewhere and forbidden)", async () => {
    const { message } = await failedLogin({ healthz: chatUp });
    expect(message).toBe(
      "Cannot reach this site's chat server. This site is not allowed to connect to example.org: ask its operator to add it to XMPP_CONNECT_SRC.",
    );
  });

  it("the site's chat server is down but the account's own server was tried too and failed: not blamed on the site", async () => {
    const { message, opened } = await failedLogin({
      healthz: chatDown,
      hostMeta: () => Response.json(HOST_META),
      csp: `${OWN_ONLY} https://example.org wss://*.example.org`,
    });
    expect(opened).toEqual(["ws://chat.test/xmpp-websocket", "wss://xmpp.example.org/ws"]);
    expect(message).toBe(
      "Cannot reach the chat server for example.org. Check your connection, or set the server's WebSocket URL under Advanced.",
    );
  });

  it("a host the CSP forbids, and nothing else attempted: the XMPP_CONNECT_SRC hint, /healthz not even asked", async () => {
    const { message, asked, opened } = await failedLogin({ healthz: chatDown, websocketUrl: "wss://other.example/xmpp" });
    expect(opened).toEqual([]);
    expect(asked).toEqual([]);
    expect(message).toBe("This site is not allowed to connect to other.example: ask its operator to add it to XMPP_CONNECT_SRC.");
  });

  it("navigator.onLine false: offline, whatever /healthz would say", async () => {
    const { message, asked } = await failedLogin({ healthz: chatDown, online: false });
    expect(message).toBe("You are offline: log in again when the network is back.");
    expect(message).toBe(OFFLINE);
    expect(asked).toEqual([]);
  });

  it("offline with the page's policy unknown: no discovery is attempted (it would be refused, or fail)", async () => {
    const { message, asked } = await failedLogin({ healthz: chatDown, online: false, csp: null });
    expect(message).toBe(OFFLINE);
    expect(asked.filter((u) => u.includes("host-meta"))).toEqual([]);
  });

  it("not even the site's own /healthz answers (a network error): offline", async () => {
    const { message } = await failedLogin({
      healthz: () => {
        throw new TypeError("Failed to fetch");
      },
    });
    expect(message).toBe(OFFLINE);
  });

  it("no Porthole /healthz (404 page) or one without the XMPP edge: the earlier explanations", async () => {
    for (const healthz of [
      () => new Response("<!doctype html>", { status: 404, headers: { "content-type": "text/html" } }),
      () => Response.json({ ok: true, xmpp: { enabled: false } }),
    ]) {
      const { message } = await failedLogin({ healthz });
      expect(message).toMatch(/^Cannot reach this site's chat server\. This site is not allowed to connect to example\.org/);
    }
  });
});

describe("siteHealth", () => {
  const location = { protocol: "https:", host: "chat.example" };
  it("asks this host's /healthz, uncached, and reads xmpp.up", async () => {
    const seen: Array<[string, RequestCache | undefined]> = [];
    const fetcher = async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push([String(input), init?.cache]);
      return chatDown();
    };
    expect(await siteHealth({ fetch: fetcher as typeof fetch, location, online: () => true })).toBe("chat-down");
    expect(seen).toEqual([["https://chat.example/healthz", "no-store"]]);
    expect(await siteHealth({ fetch: (async () => chatUp()) as typeof fetch, location, online: () => true })).toBe("chat-up");
  });
});
