/**
 * RTMPT client loops for the soak (test/soak/porthole.soak.ts), speaking the protocol as FFmpeg's
 * libavformat/rtmphttp.c does: `POST /open/1` → `<id>\n`, then `/send|idle/<id>/<seq>` on one keep-alive
 * connection per session, `/close` at the end. Every byte is checked:
 * - proxy mode uses the test origin's echo sessions (`/open/1?echo`: each /send reply is its own body);
 * - gateway mode bridges to a TCP echo server, so the bytes read back over the polls (after each
 *   reply's polling byte) must equal the bytes sent, in order.
 */
import { Agent, request } from "node:http";

export interface RtmptTally {
  requests: number;
  sessionsOpened: number;
  /** Sessions that ran the whole duration and closed without an error. */
  sessionsHeld: number;
  maxConcurrent: number;
  bytesSent: number;
  bytesBack: number;
  /** Unexpected answers (status, mismatched bytes, transport errors). */
  errors: number;
  reasons: string[];
}

export function emptyTally(): RtmptTally {
  return {
    requests: 0,
    sessionsOpened: 0,
    sessionsHeld: 0,
    maxConcurrent: 0,
    bytesSent: 0,
    bytesBack: 0,
    errors: 0,
    reasons: [],
  };
}

function post(agent: Agent, base: URL, path: string, body: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: "POST",
        path,
        timeout: 60_000,
        headers: { "Content-Type": "application/x-fcs", "Content-Length": body.length, "User-Agent": "Shockwave Flash" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer in 60 s")));
    req.on("error", reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function payload(session: number, seq: number): Buffer {
  const n = 64 + ((session * 131 + seq * 17) % 960);
  return Buffer.from(Array.from({ length: n }, (_, i) => (session + seq * 7 + i * 13) & 0xff));
}

/**
 * Runs `sessions` RTMPT sessions against `baseUrl` until `deadline` (ms since epoch), each sending one
 * request every ~`intervalMs` (jittered). Sessions start spread over `rampMs`.
 */
export async function runRtmptSessions(
  baseUrl: string,
  mode: "proxy" | "gateway",
  o: { sessions: number; deadline: number; intervalMs: number; rampMs: number },
): Promise<RtmptTally> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: o.sessions + 8 });
  const t = emptyTally();
  let concurrent = 0;
  const fail = (why: string) => {
    t.errors++;
    if (t.reasons.length < 10) t.reasons.push(why);
  };
  const call = async (path: string, body: Buffer) => {
    t.requests++;
    return post(agent, base, path, body);
  };

  async function session(n: number): Promise<void> {
    await sleep((o.rampMs * n) / o.sessions);
    const open = await call(mode === "proxy" ? "/open/1?echo" : "/open/1", Buffer.from([0]));
    if (open.status !== 200) return fail(`open ${open.status} ${open.body.toString().slice(0, 60)}`);
    const id = open.body.toString().trim();
    t.sessionsOpened++;
    concurrent++;
    t.maxConcurrent = Math.max(t.maxConcurrent, concurrent);
    let seq = 0;
    let ok = true;
    const sent: Buffer[] = [];
    let back = Buffer.alloc(0);
    const expectBack = (reply: Buffer, label: string) => {
      if (reply.length === 0) return fail(`${label}: empty reply`);
      back = Buffer.concat([back, reply.subarray(1)]);
      const want = Buffer.concat(sent).subarray(0, back.length);
      if (!want.equals(back)) {
        ok = false;
        fail(`${label}: bytes back differ from bytes sent`);
      }
    };
    try {
      while (Date.now() < o.deadline && ok) {
        const body = payload(n, seq);
        const kind = mode === "gateway" && seq % 3 === 2 ? "idle" : "send";
        const r = await call(`/${kind}/${id}/${seq}`, kind === "send" ? body : Buffer.from([0]));
        if (r.status !== 200) {
          ok = false;
          fail(`${kind} ${r.status} ${r.body.toString().slice(0, 60)}`);
          break;
        }
        if (mode === "proxy") {
          t.bytesSent += body.length;
          if (r.body.equals(body)) t.bytesBack += body.length;
          else {
            ok = false;
            fail("send: echo differs from the body sent");
          }
        } else {
          if (kind === "send") {
            sent.push(body);
            t.bytesSent += body.length;
          }
          expectBack(r.body, kind);
        }
        seq++;
        await sleep(o.intervalMs * (0.5 + Math.random()));
      }
      if (mode === "gateway" && ok) {
        // Drain what the echo server still owes before closing.
        const total = sent.reduce((s, b) => s + b.length, 0);
        for (let i = 0; i < 100 && back.length < total && ok; i++) {
          const r = await call(`/idle/${id}/${seq++}`, Buffer.from([0]));
          if (r.status !== 200) {
            ok = false;
            fail(`drain idle ${r.status}`);
          } else expectBack(r.body, "drain");
          if (back.length < total) await sleep(50);
        }
        if (back.length !== total) {
          ok = false;
          fail(`gateway: ${total - back.length} bytes never came back`);
        }
        t.bytesBack += back.length;
      }
      const close = await call(`/close/${id}/${seq}`, Buffer.from([0]));
      if (close.status !== 200) {
        ok = false;
        fail(`close ${close.status}`);
      }
      if (ok) t.sessionsHeld++;
    } catch (err) {
      fail(`transport: ${String(err).slice(0, 80)}`);
    } finally {
      concurrent--;
    }
  }

  await Promise.all(Array.from({ length: o.sessions }, (_, n) => session(n).catch((err) => fail(String(err)))));
  agent.destroy();
  return t;
}
