// The XMPP edge in front of ejabberd: real Debian ejabberd 23.01 (test/support/ejabberd.ts, configured as
// README.md's "ejabberd behind the worker" block) on 127.0.0.1 behind `wrangler dev`; the handshake through
// the worker is answered 101 with the xmpp subprotocol, two @xmpp/client users log in through the
// worker's /xmpp-websocket and chat both ways, and `websocket_origin` lets the PWA's origin in and
// keeps another one out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EjabberdServer, startEjabberd } from "../support/ejabberd";
import type { WorkerServer } from "../support/wrangler-dev";
import { startWorkerSnapshot } from "../support/wrangler-snapshot";
import { rawHandshake } from "../support/ws-handshake";
import { connectUser, type XmppUser } from "../support/xmpp-user";

/** The PWA's public origin, as in the README's `websocket_origin`. */
const PWA_ORIGIN = "https://chat.example.com";
/** ejabberd's answer to a GET of its WebSocket path without Upgrade (what /healthz probes). */
const EJABBERD_PLAIN_GET = 200;

/** The status of a WebSocket handshake (offering xmpp) sent with an `Origin` header. */
async function handshakeStatus(url: string, origin: string): Promise<number> {
  return (await rawHandshake(url, "xmpp", { Origin: origin })).status;
}

describe("XMPP edge through wrangler dev to a real ejabberd", () => {
  let xmpp: EjabberdServer;
  let worker: WorkerServer;
  let wsUrl: string;
  const users: XmppUser[] = [];

  beforeAll(async () => {
    xmpp = await startEjabberd({ users: { alice: "alice-secret", bob: "bob-secret" }, websocketOrigin: [PWA_ORIGIN] });
    // A snapshot: a wrangler dev reload (an edit elsewhere in the tree) would drop the WebSockets.
    worker = await startWorkerSnapshot({ XMPP_WEBSOCKET_URL: xmpp.wsUrl });
    wsUrl = `ws://127.0.0.1:${worker.port}/xmpp-websocket`;
  });
  afterAll(async () => {
    for (const u of users) await u.stop();
    await worker?.stop();
    await xmpp?.stop();
  });

  const login = async (username: string, password: string) => {
    const u = await connectUser({ service: wsUrl, domain: xmpp.domain, username, password });
    users.push(u);
    return u;
  };

  it("upgrades the worker's /xmpp-websocket with ejabberd's xmpp subprotocol", async () => {
    const up = await rawHandshake(`${worker.url}/xmpp-websocket`);
    expect(up.status).toBe(101);
    expect(up.protocol).toBe("xmpp");
  });

  it("/healthz probes ejabberd with a plain GET of its WebSocket URL: it answers, so up", async () => {
    const res = await fetch(`${worker.url}/healthz`);
    const body = (await res.json()) as { ok: boolean; xmpp: { up: boolean; status?: number } };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ ok: true, xmpp: { enabled: true, up: true, status: EJABBERD_PLAIN_GET } });
  });

  it("logs two users in through the worker and passes messages both ways", async () => {
    const alice = await login("alice", "alice-secret");
    const bob = await login("bob", "bob-secret");
    expect(alice.jid).toMatch(/^alice@localhost\//);
    expect(bob.jid).toMatch(/^bob@localhost\//);

    await alice.send(`bob@${xmpp.domain}`, "hello bob, via the worker and ejabberd");
    await bob.waitForBody("hello bob, via the worker and ejabberd");
    await bob.send(`alice@${xmpp.domain}`, "hello alice, back through ejabberd");
    await alice.waitForBody("hello alice, back through ejabberd");
    expect(bob.received).toContainEqual({ from: "alice@localhost", body: "hello bob, via the worker and ejabberd" });
    expect(alice.received).toContainEqual({ from: "bob@localhost", body: "hello alice, back through ejabberd" });
    expect(await alice.ping()).toBeGreaterThanOrEqual(0);
  });

  it("rejects a wrong password through the worker", async () => {
    await expect(
      connectUser({ service: wsUrl, domain: xmpp.domain, username: "alice", password: "not-her-password" }),
    ).rejects.toMatchObject({ name: "SASLError", condition: "not-authorized" });
  });

  it("websocket_origin: the PWA's origin is let in, another origin is refused (the worker answers 502)", async () => {
    expect(await handshakeStatus(`${worker.url}/xmpp-websocket`, PWA_ORIGIN)).toBe(101);
    expect(await handshakeStatus(`${worker.url}/xmpp-websocket`, "https://evil.example")).toBe(502);
  });
});
