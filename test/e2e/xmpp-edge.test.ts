// The XMPP edge end to end: real Prosody 0.12 (websocket, smacks, carbons, mam) on 127.0.0.1 behind
// `wrangler dev`; @xmpp/client users log in through ws://127.0.0.1:<worker>/xmpp-websocket (found by
// XEP-0156), chat both ways, stay connected through a long idle with XMPP pings (XEP-0199); the PWA's
// CSP is checked in Chromium; with Prosody down the handshake fails with 502, logged once, /healthz says
// 503, and both recover when it is back.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCspViolation, launchBrowser } from "../support/browser";
import { waitFor } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { logRecords } from "../support/worker-log";
import type { WorkerServer } from "../support/wrangler-dev";
import { startWorkerSnapshot } from "../support/wrangler-snapshot";
import { rawHandshake } from "../support/ws-handshake";
import { connectUser, type XmppUser } from "../support/xmpp-user";

/** Idle time through the worker (XMPP_EDGE_IDLE_MS to change it locally), and the ping period meanwhile. */
const IDLE_MS = Number(process.env.XMPP_EDGE_IDLE_MS ?? 75_000);
const PING_EVERY_MS = 15_000;

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe("XMPP edge through wrangler dev to a real Prosody", () => {
  let xmpp: ProsodyServer;
  let worker: WorkerServer;
  let wsUrl: string;
  const users: XmppUser[] = [];
  let alice: XmppUser;
  let bob: XmppUser;

  beforeAll(async () => {
    xmpp = await startProsody({ users: { alice: "alice-secret", bob: "bob-secret" } });
    // A snapshot: a wrangler dev reload (an edit elsewhere in the tree) would drop the WebSockets.
    worker = await startWorkerSnapshot({ XMPP_WEBSOCKET_URL: xmpp.wsUrl });
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

  it("advertises the worker's WebSocket by XEP-0156 and passes the xmpp subprotocol through", async () => {
    const meta = await fetch(`${worker.url}/.well-known/host-meta.json`);
    expect(meta.status).toBe(200);
    expect(meta.headers.get("access-control-allow-origin")).toBe("*");
    const doc = (await meta.json()) as { links: Array<{ rel: string; href: string }> };
    const link = doc.links.find((l) => l.rel === "urn:xmpp:alt-connections:websocket");
    expect(link?.href).toBe(`ws://127.0.0.1:${worker.port}/xmpp-websocket`);
    wsUrl = link?.href ?? "";

    const plain = await fetch(`${worker.url}/xmpp-websocket`);
    expect(plain.status).toBe(426);

    const up = await rawHandshake(`${worker.url}/xmpp-websocket`);
    expect(up.status).toBe(101);
    expect(up.protocol).toBe("xmpp");

    // RFC 7395 framing straight through the worker: <open/> answered by Prosody's <open/> and features.
    const frames: string[] = [];
    const ws = new WebSocket(wsUrl, "xmpp");
    ws.onmessage = (e) => frames.push(String(e.data));
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("WebSocket through the worker failed to open"));
    });
    expect(ws.protocol).toBe("xmpp");
    ws.send(`<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="${xmpp.domain}" version="1.0"/>`);
    const deadline = Date.now() + 20_000;
    while (!frames.some((f) => f.includes("<stream:features")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(frames[0]).toMatch(/^<open [^>]*xmlns=["']urn:ietf:params:xml:ns:xmpp-framing["']/);
    expect(frames.join("")).toContain("<mechanism>SCRAM-SHA-1</mechanism>");
    // Closing the client side ends the upstream session too (no session left behind at the server).
    const gone = count(xmpp.output(), "Client disconnected");
    ws.close();
    await waitFor("Prosody sees the client leave", async () => count(xmpp.output(), "Client disconnected") > gone, 20_000);
  });

  it("logs two users in through the worker and delivers messages both ways", async () => {
    alice = await login("alice", "alice-secret");
    bob = await login("bob", "bob-secret");
    expect(alice.jid).toMatch(/^alice@localhost\//);
    await alice.send(`bob@${xmpp.domain}`, "hello bob, via the edge");
    await bob.waitForBody("hello bob, via the edge");
    await bob.send(`alice@${xmpp.domain}`, "hello alice, via the edge");
    await alice.waitForBody("hello alice, via the edge");
    expect(bob.received).toContainEqual({ from: "alice@localhost", body: "hello bob, via the edge" });
    expect(alice.received).toContainEqual({ from: "bob@localhost", body: "hello alice, via the edge" });
  });

  it(
    `keeps both WebSockets open through ${IDLE_MS / 1000} s of idle with XMPP pings`,
    async () => {
      const before = [alice.statuses.length, bob.statuses.length];
      const rtts: number[] = [];
      const start = Date.now();
      while (Date.now() - start < IDLE_MS) {
        await new Promise((r) => setTimeout(r, PING_EVERY_MS));
        rtts.push(await alice.ping(), await bob.ping());
        expect(alice.status()).toBe("online");
        expect(bob.status()).toBe("online");
      }
      expect(rtts.length).toBeGreaterThanOrEqual(2 * Math.floor(IDLE_MS / PING_EVERY_MS) - 2);
      // No disconnect, reconnect or re-login happened meanwhile.
      expect([alice.statuses.length, bob.statuses.length]).toEqual(before);
      await alice.send(`bob@${xmpp.domain}`, "still there after the idle?");
      await bob.waitForBody("still there after the idle?");
      await bob.send(`alice@${xmpp.domain}`, "still here");
      await alice.waitForBody("still here");
      console.log(`idle ${Date.now() - start} ms, ${rtts.length} pings, rtt max ${Math.max(...rtts)} ms`);
    },
    IDLE_MS + 90_000,
  );

  it("serves the PWA under a CSP that lets it reach this host's WebSocket and nothing else", async () => {
    let browser: BrowserContext | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.newPage();
      const cspConsole: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspConsole.push(m.text());
      });
      const res = await page.goto(`${worker.url}/`);
      await page.waitForFunction(() => document.querySelector("#app")?.firstElementChild); // the app rendered
      expect(cspConsole, "the app loads without any CSP violation").toEqual([]);
      expect(res?.status()).toBe(200);
      expect(res?.headers()["content-security-policy"]).toContain(`connect-src 'self' ${wsUrl}`);
      expectCspViolation(browser, xmpp.wsUrl); // provoked below on purpose
      const result = await page.evaluate(
        async ([own, other]) => {
          const violations: string[] = [];
          document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
          const tryOpen = (url: string) =>
            new Promise<string>((resolve) => {
              try {
                const ws = new WebSocket(url, "xmpp");
                ws.onopen = () => {
                  resolve(`open ${ws.protocol}`);
                  ws.close();
                };
                ws.onerror = () => resolve("error");
              } catch (e) {
                resolve(`threw ${(e as Error).name}`);
              }
            });
          const ownResult = await tryOpen(own);
          const otherResult = await tryOpen(other);
          await new Promise((r) => setTimeout(r, 200)); // violation events are queued as tasks
          return { ownResult, otherResult, violations };
        },
        [wsUrl, xmpp.wsUrl] as const,
      );
      expect(result.ownResult).toBe("open xmpp");
      expect(result.otherResult).not.toMatch(/^open/);
      expect(result.violations).toEqual([`connect-src ${xmpp.wsUrl}`]);
      expect(cspConsole).toHaveLength(1);
      expect(cspConsole[0]).toContain(xmpp.wsUrl);
    } finally {
      await browser?.close();
    }
  });

  it("answers the handshake with 502 while Prosody is down (logged once), and recovers", async () => {
    const logBefore = worker.proc.output();
    await xmpp.stop();
    // The server going away closes the clients' WebSockets through the worker (none left hanging).
    await waitFor("clients see the server leave", async () => alice.status() !== "online" && bob.status() !== "online", 20_000);
    for (let i = 0; i < 3; i++) {
      const res = await rawHandshake(`${worker.url}/xmpp-websocket`);
      expect(res.status).toBe(502);
      expect(res.body).toBe("Bad gateway: the XMPP server is unreachable\n");
    }
    await expect(
      connectUser({ service: wsUrl, domain: xmpp.domain, username: "alice", password: "alice-secret" }),
    ).rejects.toThrow();
    const since = () => worker.proc.output().slice(logBefore.length);
    await waitFor("xmpp_upstream_down logged", async () => logRecords(since(), "xmpp_upstream_down").length > 0, 20_000);
    expect(logRecords(since(), "unhandled_error")).toEqual([]);
    // /healthz probes Prosody with a plain GET: down now, so 503 (once its cached probe expired).
    type Health = { ok: boolean; xmpp: { enabled: boolean; up: boolean; status?: number; error?: string } };
    const health = async () => {
      const res = await fetch(`${worker.url}/healthz`);
      return { status: res.status, body: (await res.json()) as Health };
    };
    await waitFor("/healthz reports the XMPP upstream down", async () => (await health()).status === 503, 20_000);
    expect((await health()).body).toMatchObject({ ok: false, xmpp: { enabled: true, up: false, error: "unreachable" } });

    await xmpp.restart();
    const again = await login("alice", "alice-secret");
    expect(again.status()).toBe("online");
    // The recovery line is printed after every earlier one: then the outage has been logged exactly once.
    await waitFor("xmpp_upstream_up logged", async () => logRecords(since(), "xmpp_upstream_up").length > 0, 20_000);
    expect(logRecords(since(), "xmpp_upstream_down")).toHaveLength(1);
    const [up] = logRecords(since(), "xmpp_upstream_up");
    expect(up?.failures).toBeGreaterThanOrEqual(4);
    // Prosody's mod_websocket answers the GET without Upgrade with 200: up again.
    await waitFor("/healthz reports the XMPP upstream up", async () => (await health()).status === 200, 20_000);
    expect((await health()).body).toMatchObject({ ok: true, xmpp: { enabled: true, up: true, status: 200 } });
  });
});
