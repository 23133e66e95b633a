/**
 * How each real RTMPT client frames a session, for the test tunnel (rtmpt-tunnel.ts): paths, seq
 * numbers, bodies, connections, concurrency, polling delay and close, as their sources show them.
 * - HaishinKit 1.9.8 (shogo4405/HaishinKit.swift Sources/RTMP/RTMPTSocket.swift): /fcs/ident2 (85),
 *   /open/1 (200), /idle/<id>/0 whose reply is not read (214, didIdle0), then one request at a time on
 *   a keep-alive URLSession: a /send when output waits (266), else an /idle once the polling byte × 100 ms
 *   passed since the last reply (255, 0.1 s timer); seq 0 every time (1.4.3–1.9.8 never advance
 *   `index`); a reply whose Content-Type is not exactly application/x-fcs is dropped (157-161); one
 *   retry of the same path and body after a transport error (132-141); /close/<id> with an empty body
 *   (119) at once, on another connection if a request is in flight. `haishinkit-1.4.2`: the same, seq
 *   counting 1, 2, 3 shared by idle and send (1.4.2 lines 247, 269).
 * - RootEncoder (pedroSG94/RootEncoder rtmp/.../TcpTunneledSocket.kt): every request on its own
 *   connection (configureSocket + disconnect, 80-106), strictly serial (synchronized): /fcs/ident2 with
 *   0x00 (148, errors ignored), /open/1 without body (151), /idle/<id>/0 (153), then /send when data
 *   waits (136) and /idle at once otherwise (68-70), both counting 1, 2, ...; a non-200 reply fails the
 *   session (88-89); /close/<id> with 0x00, fire and forget (167-176).
 * - Flash Player (as Red5's RTMPTServlet serves it): /fcs/ident2, /open/1, /idle/<id>/0, then an /idle
 *   held on one connection beside a /send on a second one, seq counting 1, 2, ... in issue order, the
 *   next /idle after polling byte × 16 ms; replies used in seq order; /close/<id>/<seq>.
 * - librtmp (rtmpdump librtmp/rtmp.c): one keep-alive connection, no /fcs/ident2, /open/1 with 0x00
 *   (1003), seq from 0 (1011), every /send posted at once without waiting for replies (1526, pipelined),
 *   an /idle only when no request is unanswered (1415); RTMP_Close (4129-4156) posts its last /send and
 *   /close and closes the socket without reading their replies: here a TCP reset.
 */
import type { Relay } from "./rtmpt-tunnel";
import { HttpConnection, type RawReply } from "./rtmpt-tunnel-http";

export type ClientFraming = "haishinkit" | "haishinkit-1.4.2" | "rootencoder" | "flash" | "librtmp";

const ZERO = Buffer.from([0]);
const EMPTY = Buffer.alloc(0);

function sessionId(reply: RawReply): string {
  if (!reply.statusLine.startsWith("HTTP/1.1 200 ")) throw new Error(`/open/1: ${reply.statusLine}`);
  return reply.body.toString("latin1").trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function haishinKit(relay: Relay, port: number, counting: boolean): Promise<void> {
  let conn = await HttpConnection.open(port);
  let retrying = true; // isRetryingRequest starts true: no retry before a first success
  const request = async (path: string, body: Buffer): Promise<RawReply> => {
    try {
      const reply = await conn.post(path, body);
      retrying = false;
      return reply;
    } catch (err) {
      if (retrying || relay.ended) throw err;
      retrying = true;
      conn = await HttpConnection.open(port);
      return request(path, body);
    }
  };
  await request("/fcs/ident2", ZERO);
  const id = sessionId(await request("/open/1", ZERO));
  relay.sessionId = id;
  await request(`/idle/${id}/0`, ZERO);
  // deinitConnection: /close/<id> as soon as the RTMP side closes, even while a request is in flight.
  void (async () => {
    while (!relay.ended) await relay.wait(1_000);
    relay.closing = true;
    const closer = await HttpConnection.open(port);
    relay.closeReply = (await closer.post(`/close/${id}`, EMPTY).finally(() => closer.close())).statusLine;
  })().catch(() => {});
  let index = 0;
  const seq = () => (counting ? ++index : 0);
  let delay = 1;
  let lastResponse = Date.now();
  while (!relay.ended) {
    let path: string;
    let body: Buffer;
    if (relay.pending > 0) {
      path = `/send/${id}/${seq()}`;
      body = relay.take();
    } else if (Date.now() - lastResponse > delay * 100) {
      path = `/idle/${id}/${seq()}`;
      body = ZERO;
    } else {
      await relay.wait(100);
      continue;
    }
    const reply = await request(path, body);
    lastResponse = Date.now();
    if (!relay.accept(path, reply)) continue;
    delay = reply.body[0] ?? 1;
    relay.deliver(reply.body.subarray(1));
  }
  conn.close();
}

async function rootEncoder(relay: Relay, port: number): Promise<void> {
  const once = async (path: string, body: Buffer): Promise<RawReply> => {
    const conn = await HttpConnection.open(port);
    try {
      return await conn.post(path, body);
    } finally {
      conn.close();
    }
  };
  const use = (path: string, reply: RawReply) => {
    if (!relay.accept(path, reply)) throw new Error(`${path}: ${reply.statusLine}`);
    if (reply.body.length > 1) relay.deliver(reply.body.subarray(1));
  };
  await once("/fcs/ident2", ZERO).catch(() => null);
  const id = sessionId(await once("/open/1", EMPTY));
  relay.sessionId = id;
  let index = 0;
  use(`/idle/${id}/0`, await once(`/idle/${id}/0`, ZERO));
  while (!relay.ended) {
    const path = relay.pending > 0 ? `/send/${id}/${++index}` : `/idle/${id}/${++index}`;
    use(path, await once(path, path.startsWith("/send/") ? relay.take() : ZERO));
  }
  relay.closing = true;
  void once(`/close/${id}`, ZERO)
    .then((r) => {
      relay.closeReply = r.statusLine;
    })
    .catch(() => {});
}

async function flash(relay: Relay, port: number): Promise<void> {
  const idles = await HttpConnection.open(port);
  const sends = await HttpConnection.open(port);
  await idles.post("/fcs/ident2", ZERO);
  const id = sessionId(await idles.post("/open/1", ZERO));
  relay.sessionId = id;
  let seq = 0;
  let nextUse = 0;
  const replies = new Map<number, Buffer>();
  const use = (n: number, path: string, reply: RawReply): number => {
    if (!relay.accept(path, reply)) throw new Error(`${path}: ${reply.statusLine}`);
    replies.set(n, reply.body);
    for (let b = replies.get(nextUse); b; b = replies.get(nextUse)) {
      replies.delete(nextUse++);
      relay.deliver(b.subarray(1));
    }
    return reply.body[0] ?? 1;
  };
  use(0, `/idle/${id}/0`, await idles.post(`/idle/${id}/0`, ZERO));
  const idleLoop = async () => {
    while (!relay.ended) {
      const n = ++seq;
      const path = `/idle/${id}/${n}`;
      const byte = use(n, path, await idles.post(path, ZERO));
      await sleep(byte * 16);
    }
  };
  const sendLoop = async () => {
    while (!relay.ended) {
      if (relay.pending === 0) {
        await relay.wait(1_000);
        continue;
      }
      const n = ++seq;
      const path = `/send/${id}/${n}`;
      use(n, path, await sends.post(path, relay.take()));
    }
  };
  await Promise.all([idleLoop(), sendLoop()]);
  relay.closing = true;
  relay.closeReply = (await sends.post(`/close/${id}/${++seq}`, ZERO).catch(() => null))?.statusLine ?? null;
  idles.close();
  sends.close();
}

async function librtmp(relay: Relay, port: number): Promise<void> {
  const conn = await HttpConnection.open(port);
  relay.trace = conn.trace;
  const id = sessionId(await conn.post("/open/1", ZERO));
  relay.sessionId = id;
  let seq = 0;
  let failure: Error | null = null;
  let last: Promise<void> = Promise.resolve();
  const post = (kind: "send" | "idle", body: Buffer) => {
    const path = `/${kind}/${id}/${seq++}`;
    last = conn.post(path, body).then(
      (reply) => {
        if (!relay.accept(path, reply)) throw new Error(`${path}: ${reply.statusLine}`);
        relay.deliver(reply.body.subarray(1));
      },
      (err: Error) => {
        failure ??= err;
      },
    );
    last.catch((err: Error) => {
      failure ??= err;
    });
  };
  while (!relay.ended) {
    if (failure) throw failure;
    if (relay.pending > 0) {
      await sleep(10); // about one POST per RTMP packet (rtmp.c:4024): ffmpeg writes a packet in pieces
      post("send", relay.take());
    } else if (conn.unanswered === 0) post("idle", ZERO);
    await Promise.race([relay.wait(1_000), last]);
  }
  // RTMP_Close: the last bytes and /close pipelined, then the socket closed with both replies unread.
  relay.closing = true;
  if (relay.pending > 0) post("send", relay.take());
  void conn.post(`/close/${id}/${seq++}`, ZERO).catch(() => {});
  conn.reset();
}

export const FRAMINGS: Record<ClientFraming, (relay: Relay, port: number) => Promise<void>> = {
  haishinkit: (relay, port) => haishinKit(relay, port, false),
  "haishinkit-1.4.2": (relay, port) => haishinKit(relay, port, true),
  rootencoder: rootEncoder,
  flash,
  librtmp,
};
