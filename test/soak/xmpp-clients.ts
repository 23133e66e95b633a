/**
 * XMPP users for the soak: N @xmpp/client users over WebSocket (RFC 7395) through the worker, in a ring
 * (user i writes to user i+1) with one-to-one chat messages (RFC 6121 §5). Every message body is unique;
 * receivers count each arrival raw (before any dedupe), so lost and duplicated messages are exact.
 */
import { spawn } from "node:child_process";
import type { Element } from "@xmpp/client";
import type { ProsodyServer } from "../support/prosody";
import { connectUser, type XmppUser } from "../support/xmpp-user";

export interface XmppTally {
  users: number;
  sent: number;
  received: number;
  lost: number;
  /** Arrivals of a body already received with the same stanza id (XEP-0198 redelivery), as the PWA dedupes. */
  redelivered: number;
  /** Arrivals of a body already received under another stanza id: a real duplicate. */
  duplicated: number;
  /** Clients that left "online" while the soak ran. */
  disconnects: number;
  errors: number;
  reasons: string[];
}

const pad = (i: number) => `soak${String(i).padStart(3, "0")}`;

/** Registers `n` accounts with prosodyctl, a few at a time (each call is a separate Lua process). */
export async function registerUsers(prosody: ProsodyServer, n: number, parallel = 4): Promise<void> {
  const queue = Array.from({ length: n }, (_, i) => i);
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const p = spawn(
        "/usr/bin/prosodyctl",
        ["--config", prosody.configPath, "register", pad(i), prosody.domain, `${pad(i)}-pw`],
        {
          stdio: "ignore",
        },
      );
      p.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prosodyctl register ${pad(i)} exited ${code}`))));
    });
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) await one(i);
    }),
  );
}

export interface XmppRing {
  users: XmppUser[];
  /** Sends messages around the ring until `deadline`, then waits for them to arrive (at most `drainMs`). */
  run: (deadline: number, intervalMs: number, drainMs: number) => Promise<XmppTally>;
  stop: () => Promise<void>;
}

export async function connectRing(service: string, prosody: ProsodyServer, n: number, parallel = 10): Promise<XmppRing> {
  const users: XmppUser[] = new Array(n);
  const arrivals = new Map<string, Set<string>>(); // body → stanza ids seen
  const counts = new Map<string, number>(); // body → raw arrivals
  const queue = Array.from({ length: n }, (_, i) => i);
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const u = await connectUser({
          service,
          domain: prosody.domain,
          username: pad(i),
          password: `${pad(i)}-pw`,
          resource: "soak",
        });
        u.client.on("stanza", (st: Element) => {
          const body = st.is("message") ? st.getChildText("body") : null;
          if (body === null || !body.startsWith("soak:")) return;
          counts.set(body, (counts.get(body) ?? 0) + 1);
          const ids = arrivals.get(body) ?? new Set<string>();
          ids.add(String(st.attrs.id ?? ""));
          arrivals.set(body, ids);
        });
        users[i] = u;
      }
    }),
  );

  const run = async (deadline: number, intervalMs: number, drainMs: number): Promise<XmppTally> => {
    const t: XmppTally = {
      users: n,
      sent: 0,
      received: 0,
      lost: 0,
      redelivered: 0,
      duplicated: 0,
      disconnects: 0,
      errors: 0,
      reasons: [],
    };
    const sentBodies: string[] = [];
    const fail = (why: string) => {
      t.errors++;
      if (t.reasons.length < 10) t.reasons.push(why);
    };
    const online = users.map(() => true);
    await Promise.all(
      users.map(async (u, i) => {
        const to = `${pad((i + 1) % n)}@${prosody.domain}`;
        await new Promise((r) => setTimeout(r, Math.random() * intervalMs));
        for (let k = 0; Date.now() < deadline; k++) {
          if (u.status() !== "online") {
            if (online[i]) t.disconnects++;
            online[i] = false;
            fail(`${pad(i)} is ${u.status()}`);
            return;
          }
          const body = `soak:${i}:${k}`;
          try {
            await u.send(to, body);
            sentBodies.push(body);
            t.sent++;
          } catch (err) {
            fail(`${pad(i)} send: ${String(err).slice(0, 60)}`);
          }
          await new Promise((r) => setTimeout(r, intervalMs * (0.5 + Math.random())));
        }
      }),
    );
    const drainUntil = Date.now() + drainMs;
    while (Date.now() < drainUntil && sentBodies.some((b) => !counts.has(b))) await new Promise((r) => setTimeout(r, 200));
    const sentSet = new Set(sentBodies);
    for (const b of sentBodies) if (!counts.has(b)) t.lost++;
    for (const [body, c] of counts) {
      if (!sentSet.has(body)) fail(`unexpected body ${body}`);
      t.received++;
      const ids = arrivals.get(body)?.size ?? 1;
      t.duplicated += ids - 1;
      t.redelivered += c - ids;
    }
    for (const [i, u] of users.entries()) if (online[i] && u.status() !== "online") t.disconnects++;
    return t;
  };

  return {
    users,
    run,
    stop: async () => {
      await Promise.all(users.map((u) => u?.stop()));
    },
  };
}
