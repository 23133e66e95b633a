/**
 * Fault injection, real peers on 127.0.0.1 behind the built worker bundle in workerd:
 * - proxy mode: an origin dead before the session (failover on /open, 502 when none), an origin dying
 *   during a session (502, not a hang), an origin that accepts and never answers (504 within a bound);
 * - gateway mode: nginx-rtmp killed mid-session (the next polls end the session with a clean 404);
 * - XMPP: Prosody killed and restarted while Node clients are connected through the worker (they see
 *   the disconnect, the handshake is 502 meanwhile, they log in again and every message is delivered once).
 * Durable Object eviction mid-session is covered in workerd by test/worker/rtmpt-gateway.test.ts
 * (evictDurableObject → 404 "RTMPT session ended (lost)").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { freePort, waitFor } from "../support/process";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { type BlackHole, type RtmptOrigin, startBlackHole, startRtmptOrigin } from "../support/rtmpt-origin";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import { rawHandshake } from "../support/ws-handshake";
import { connectUser, type XmppUser } from "../support/xmpp-user";

const TIMEOUT_MS = 1500;
let bundle: string;
const started: Array<{ stop: () => Promise<void> }> = [];
let faults = 0;

async function worker(vars: Record<string, string>): Promise<WorkerdServer> {
  const w = await startWorkerd(bundle, { XMPP_WEBSOCKET_URL: "", RTMPT_ORIGIN_TIMEOUT_MS: String(TIMEOUT_MS), ...vars });
  started.push(w);
  return w;
}

async function post(url: string, body: Uint8Array<ArrayBuffer> = new Uint8Array([0])) {
  const t0 = performance.now();
  const res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/x-fcs" } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, bytes, text: new TextDecoder().decode(bytes), ms: performance.now() - t0 };
}

beforeAll(() => {
  bundle = bundleWorker();
}, 120_000);

afterAll(async () => {
  for (const s of started.reverse()) await s.stop().catch(() => {});
  console.log(`faults injected: ${faults}`);
});

describe("RTMPT proxy mode: origin faults", () => {
  let nginx: NginxRtmp;
  let origin: RtmptOrigin;
  let hole: BlackHole;

  beforeAll(async () => {
    nginx = await startNginxRtmp();
    origin = await startRtmptOrigin(nginx.port);
    hole = await startBlackHole();
    started.push(nginx, origin, hole);
  });

  it("origin down before the session: /open fails over to the live one; with none alive, a plain 502", async () => {
    const deadPort = await freePort(); // nothing listens there
    faults++;
    const w = await worker({ RTMPT_ORIGINS: `http://127.0.0.1:${deadPort},${origin.url}` });
    for (let i = 0; i < 4; i++) {
      const open = await post(`${w.url}/open/1`);
      expect(open.status).toBe(200);
      expect(open.text).toMatch(/^1[0-9a-f]{12}[A-Z0-9]+\n$/); // tagged for origin index 1, the live one
    }
    const none = await worker({ RTMPT_ORIGINS: `http://127.0.0.1:${deadPort}` });
    const res = await post(`${none.url}/open/1`);
    expect(res.status).toBe(502);
    expect(res.text).toBe("Bad gateway: no RTMPT origin could serve this request\n");
  });

  it("origin dies during a session: the next request is a plain 502 at once, not a hang", async () => {
    const nginx2 = await startNginxRtmp();
    const own = await startRtmptOrigin(nginx2.port);
    started.push(nginx2);
    const w = await worker({ RTMPT_ORIGINS: own.url });
    const id = (await post(`${w.url}/open/1`)).text.trim();
    expect((await post(`${w.url}/idle/${id}/0`)).status).toBe(200);
    faults++;
    await own.stop();
    const res = await post(`${w.url}/idle/${id}/1`);
    expect(res.status).toBe(502);
    expect(res.text).toBe("Bad gateway: no RTMPT origin could serve this request\n");
    expect(res.ms).toBeLessThan(TIMEOUT_MS + 10_000);
  });

  it("origin accepts and never answers: 504 after RTMPT_ORIGIN_TIMEOUT_MS, within a bound", async () => {
    faults++;
    const w = await worker({ RTMPT_ORIGINS: hole.url });
    const open = await post(`${w.url}/open/1`);
    expect(open.status).toBe(504);
    expect(open.text).toBe("Gateway timeout: the RTMPT origin did not answer in time\n");
    expect(open.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(open.ms).toBeLessThan(TIMEOUT_MS + 10_000);
    expect(hole.accepted()).toBeGreaterThan(0);
  });
});

describe("RTMPT gateway mode: nginx-rtmp killed mid-session", () => {
  it("the session ends with a clean 404 on the next polls; nothing hangs", async () => {
    const nginx = await startNginxRtmp();
    started.push(nginx);
    const w = await worker({ RTMPT_ORIGINS: nginx.origin });
    const open = await post(`${w.url}/open/1`);
    expect(open.status).toBe(200);
    const id = open.text.trim();
    // RTMP handshake C0+C1 (version 3, 1536 bytes): nginx answers S0+S1+S2 (3073 bytes) over the polls.
    const c0c1 = new Uint8Array(1537);
    c0c1[0] = 3;
    let seq = 0;
    let received = (await post(`${w.url}/send/${id}/${seq++}`, c0c1)).bytes.length - 1;
    await waitFor(
      "S0+S1+S2 through the gateway",
      async () => {
        const r = await post(`${w.url}/idle/${id}/${seq++}`);
        received += r.bytes.length - 1;
        return received >= 3073;
      },
      30_000,
    );
    faults++;
    await nginx.kill();
    const t0 = performance.now();
    let last = { status: 200, text: "" };
    await waitFor(
      "the gateway session to end after the origin died",
      async () => {
        const r = await post(`${w.url}/idle/${id}/${seq++}`);
        last = { status: r.status, text: r.text };
        return r.status !== 200;
      },
      20_000,
    );
    expect(last.status).toBe(404);
    expect(last.text).toMatch(/^RTMPT session ended \((origin_closed|origin_failed|write failed)\)\n$/);
    expect(performance.now() - t0).toBeLessThan(20_000);
    const after = await post(`${w.url}/idle/${id}/${seq++}`);
    expect(after.status).toBe(404);
  });
});

describe("XMPP: Prosody restart while clients are connected through the worker", () => {
  let prosody: ProsodyServer;
  const users: XmppUser[] = [];

  beforeAll(async () => {
    prosody = await startProsody({ users: { alice: "alice-pw", bob: "bob-pw" } });
    started.push(prosody);
  });
  afterAll(async () => {
    for (const u of users) await u.stop();
  });

  it("clients see the drop, the handshake is 502 while down, and after the restart they log in again and every message arrives once", async () => {
    const w = await worker({ XMPP_WEBSOCKET_URL: prosody.wsUrl });
    const service = `${w.url.replace(/^http:/, "ws:")}/xmpp-websocket`;
    const login = async (username: string) => {
      const u = await connectUser({ service, domain: prosody.domain, username, password: `${username}-pw`, resource: "faults" });
      users.push(u);
      return u;
    };
    let alice = await login("alice");
    let bob = await login("bob");
    await alice.send(`bob@${prosody.domain}`, "before the restart");
    await bob.waitForBody("before the restart");

    faults++;
    await prosody.kill();
    await waitFor("both clients to see the drop", async () => alice.status() !== "online" && bob.status() !== "online", 30_000);
    const down = await rawHandshake(`${w.url}/xmpp-websocket`);
    expect(down.status).toBe(502);
    expect(down.body).toBe("Bad gateway: the XMPP server is unreachable\n");

    await prosody.restart();
    await alice.stop();
    await bob.stop();
    alice = await login("alice");
    bob = await login("bob");
    const bodies = Array.from({ length: 50 }, (_, i) => `after the restart #${i}`);
    for (const body of bodies) await alice.send(`bob@${prosody.domain}`, body);
    for (const body of bodies) await bob.waitForBody(body);
    const got = bob.received.map((m) => m.body).filter((b) => b.startsWith("after the restart"));
    expect(got).toEqual(bodies); // none lost, none duplicated, in order
    console.log(`xmpp restart: ${bodies.length + 1} messages checked, 0 lost, 0 duplicated`);
  });
});
