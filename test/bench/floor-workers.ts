/**
 * The runtime floor Porthole is measured against: the smallest workers that do the same job in the same
 * workerd, so that what remains above them is Porthole's own code.
 * - proxy mode: one `fetch()` of the request to the origin, body streamed, headers as they came;
 * - gateway mode: the worker routes each RTMPT request to a Durable Object per session, which holds one
 *   TCP socket (`connect()`, cloudflare:sockets) to the origin: `/open` connects, every other request
 *   writes its body and answers the polling byte 0x01 followed by the origin bytes read since; `/close`
 *   closes the socket.
 * Neither checks anything (no path grammar, no limits, no header hygiene, no ordering): a floor, not a
 * server to deploy.
 */
import { startWorkerdScript, type WorkerdServer } from "../support/workerd";

export const PROXY_FLOOR = `export default { fetch(req, env) {
  const u = new URL(req.url);
  return fetch(env.ORIGIN + u.pathname + u.search, { method: req.method, headers: req.headers, body: req.body });
} }`;

export const GATEWAY_FLOOR = `import { DurableObject } from "cloudflare:workers";
import { connect } from "cloudflare:sockets";
const FCS = { "content-type": "application/x-fcs" };
export class FloorSession extends DurableObject {
  async open(hostname, port) {
    this.socket = connect({ hostname, port }, { secureTransport: "off" });
    await this.socket.opened;
    this.writer = this.socket.writable.getWriter();
    this.chunks = [];
    this.size = 0;
    void this.pump();
  }
  async pump() {
    const reader = this.socket.readable.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      this.chunks.push(value);
      this.size += value.byteLength;
    }
  }
  async send(body) {
    if (body.byteLength) await this.writer.write(body);
    const out = new Uint8Array(1 + this.size);
    out[0] = 1;
    let at = 1;
    for (const c of this.chunks) { out.set(c, at); at += c.byteLength; }
    this.chunks = [];
    this.size = 0;
    return out;
  }
  async close() {
    await this.socket.close();
    return new Uint8Array([0]);
  }
}
export default { async fetch(req, env) {
  const [, kind, id] = new URL(req.url).pathname.split("/");
  const body = new Uint8Array(await req.arrayBuffer());
  if (kind === "open") {
    const fresh = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
    await env.SESSIONS.get(env.SESSIONS.idFromName(fresh)).open(env.HOST, Number(env.PORT));
    return new Response(fresh + "\\n", { headers: FCS });
  }
  const session = env.SESSIONS.get(env.SESSIONS.idFromName(id));
  return new Response(await (kind === "close" ? session.close() : session.send(body)), { headers: FCS });
} }`;

export function startProxyFloor(originUrl: string): Promise<WorkerdServer> {
  return startWorkerdScript(PROXY_FLOOR, { ORIGIN: originUrl });
}

export function startGatewayFloor(host: string, port: number): Promise<WorkerdServer> {
  return startWorkerdScript(
    GATEWAY_FLOOR,
    { HOST: host, PORT: String(port) },
    { durableObjects: { SESSIONS: { className: "FloorSession", useSQLite: true } } },
  );
}
