/** A raw RFC 6455 opening handshake from Node (undici's fetch refuses `Upgrade`), for the XMPP edge tests. */
import { request } from "node:http";

export interface HandshakeResult {
  /** 101 when upgraded. */
  status: number;
  /** The subprotocol the server chose (on a 101). */
  protocol?: string;
  /** The body of a refusal (empty on a 101). */
  body: string;
}

/**
 * Opens `url` with a WebSocket handshake offering `protocol` (plus `headers`, e.g. an `Origin`); an
 * upgraded socket is closed at once.
 */
export function rawHandshake(url: string, protocol = "xmpp", headers: Record<string, string> = {}): Promise<HandshakeResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64"),
        "Sec-WebSocket-Protocol": protocol,
        ...headers,
      },
      timeout: 30_000,
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      const chosen = res.headers["sec-websocket-protocol"];
      resolve({ status: res.statusCode ?? 0, ...(chosen ? { protocol: chosen } : {}), body: "" });
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("handshake timed out")));
    req.on("error", reject);
    req.end();
  });
}
