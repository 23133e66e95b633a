/**
 * A stand-in Web Push service (RFC 8030) on 127.0.0.1 for end-to-end tests. It hands out subscriptions
 * (a P-256 key pair and auth secret made here, an endpoint on this server), and for each POST to an
 * endpoint it checks what a real push service checks and what the browser would do:
 * - VAPID (RFC 8292 §2-3): `Authorization: vapid t=<ES256 JWT>, k=<key>`; k is the expected key, the
 *   JWT's signature verifies with it, `aud` is this origin, `exp` in the future and at most 24 h ahead;
 * - the body is aes128gcm (RFC 8188) and decrypts with the subscription's private key (RFC 8291 §3.4).
 * Valid pushes answer 201 and are kept (decrypted); invalid ones answer 400/401 and are kept apart.
 * `respond(id, [429, 410, ...])` queues other answers for one subscription. Node's own crypto only.
 *
 *   const push = await startPushService({ vapidPublicKey });
 *   const sub = push.subscribe();   // { id, endpoint, keys: { p256dh, auth } }
 *   await push.waitForPushes(1);    // push.pushes[0].payload is the decrypted JSON
 */
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, verify } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "./process";

export interface ReceivedPush {
  id: string;
  at: number;
  payload: unknown;
  headers: Record<string, string | undefined>;
  claims: { aud: string; exp: number; sub: string };
}

export interface PushService {
  origin: string;
  subscribe: () => { id: string; endpoint: string; keys: { p256dh: string; auth: string } };
  /** Queues the statuses the next POSTs to this subscription get (then 201 again). */
  respond: (id: string, statuses: Array<number | [number, string]>) => void;
  /** Valid pushes, in arrival order. */
  pushes: ReceivedPush[];
  /** Every POST with its status (valid or not), in arrival order. */
  posts: Array<{ id: string; status: number; at: number }>;
  /** Refused POSTs with the reason (a bad JWT, a body that does not decrypt). */
  refused: Array<{ id: string; reason: string }>;
  waitForPushes: (count: number, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

interface Sub {
  ecdh: ReturnType<typeof createECDH>;
  p256dh: Buffer;
  auth: Buffer;
  queue: Array<number | [number, string]>;
}

function b64u(buf: Buffer): string {
  return buf.toString("base64url");
}

function checkVapid(header: string | undefined, expectedKey: string, origin: string): ReceivedPush["claims"] {
  const m = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), ?k=([\w-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`Authorization is not "vapid t=…, k=…": ${header}`);
  const [, h, c, s, k] = m as unknown as [string, string, string, string, string];
  if (k !== expectedKey) throw new Error("k= is not the application server's key");
  const point = Buffer.from(k, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33, 65)) },
    format: "jwk",
  });
  const header0 = JSON.parse(Buffer.from(h, "base64url").toString());
  if (header0.alg !== "ES256") throw new Error(`alg ${header0.alg}`);
  if (!verify("sha256", Buffer.from(`${h}.${c}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"))) {
    throw new Error("JWT signature does not verify");
  }
  const claims = JSON.parse(Buffer.from(c, "base64url").toString());
  const now = Date.now() / 1000;
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  if (!(claims.exp > now && claims.exp <= now + 86_400)) throw new Error(`exp ${claims.exp} out of range`);
  if (!/^(mailto:|https:)/.test(claims.sub ?? "")) throw new Error(`sub ${claims.sub}`);
  return claims;
}

function decrypt(body: Buffer, sub: Sub): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20] ?? 0;
  const serverPublic = body.subarray(21, 21 + idlen);
  const sealed = body.subarray(21 + idlen);
  if (rs < 18 || sealed.length > rs) throw new Error(`record size ${rs} vs ${sealed.length} bytes`);
  const shared = sub.ecdh.computeSecret(serverPublic);
  const info = Buffer.concat([Buffer.from("WebPush: info\0"), sub.p256dh, serverPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, sub.auth, info, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const record = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  let end = record.length - 1;
  while (end >= 0 && record[end] === 0) end--;
  if (record[end] !== 2) throw new Error("no last-record delimiter");
  return record.subarray(0, end);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startPushService(o: { vapidPublicKey: string }): Promise<PushService> {
  const subs = new Map<string, Sub>();
  const pushes: ReceivedPush[] = [];
  const posts: PushService["posts"] = [];
  const refused: PushService["refused"] = [];
  let origin = "";
  let next = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? "")?.[1] ?? "";
      const sub = subs.get(id);
      const answer = (status: number, headers: Record<string, string> = {}) => {
        posts.push({ id, status, at: Date.now() });
        res.writeHead(status, headers).end();
      };
      if (req.method !== "POST" || !sub) return answer(404);
      const queued = sub.queue.shift();
      if (queued !== undefined) {
        const [status, retryAfter] = Array.isArray(queued) ? queued : [queued, ""];
        if (status === 410) subs.delete(id);
        return answer(status, retryAfter ? { "retry-after": retryAfter } : {});
      }
      let claims: ReceivedPush["claims"];
      let payload: unknown;
      try {
        claims = checkVapid(req.headers.authorization, o.vapidPublicKey, origin);
      } catch (err) {
        refused.push({ id, reason: String(err) });
        return answer(401);
      }
      try {
        if (req.headers["content-encoding"] !== "aes128gcm")
          throw new Error(`Content-Encoding ${req.headers["content-encoding"]}`);
        payload = JSON.parse(decrypt(body, sub).toString("utf8"));
      } catch (err) {
        refused.push({ id, reason: String(err) });
        return answer(400);
      }
      const h = req.headers;
      pushes.push({
        id,
        at: Date.now(),
        payload,
        claims,
        headers: { ttl: h.ttl as string, urgency: h.urgency as string, topic: h.topic as string },
      });
      answer(201, { location: `${origin}/message/${pushes.length}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    subscribe: () => {
      const ecdh = createECDH("prime256v1");
      const p256dh = ecdh.generateKeys();
      const auth = Buffer.from(Array.from({ length: 16 }, () => Math.floor(Math.random() * 256)));
      const id = `s${++next}`;
      subs.set(id, { ecdh, p256dh, auth, queue: [] });
      return { id, endpoint: `${origin}/push/${id}`, keys: { p256dh: b64u(p256dh), auth: b64u(auth) } };
    },
    respond: (id, statuses) => {
      subs.get(id)?.queue.push(...statuses);
    },
    pushes,
    posts,
    refused,
    waitForPushes: (count, timeoutMs = 10_000) =>
      waitFor(`${count} push(es) at the push service`, async () => pushes.length >= count, timeoutMs),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
