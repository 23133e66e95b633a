/**
 * Viewers of the worker's live FLV streams for end-to-end tests: a WebSocket-FLV viewer (Node's
 * WebSocket, binary messages of FLV bytes) and an HTTP-FLV viewer (fetch, streamed body), each keeping
 * every byte it received and how its connection ended; plus an FLV tag splitter (video_file_format_spec_v10
 * Annex E) to check what they got.
 */

import { connect } from "node:net";

export interface FlvTag {
  type: number;
  timestamp: number;
  /** The tag's body. */
  body: Buffer;
  /** The whole tag with its PreviousTagSize, as sent. */
  raw: Buffer;
}

export interface ParsedFlv {
  header: Buffer;
  tags: FlvTag[];
}

/** Splits an FLV byte stream into its header and whole tags (a trailing partial tag is left out). */
export function parseFlv(bytes: Buffer): ParsedFlv {
  if (bytes.length < 13 || bytes.subarray(0, 3).toString("latin1") !== "FLV") throw new Error("not FLV: no FLV header");
  const headerSize = bytes.readUInt32BE(5);
  const tags: FlvTag[] = [];
  let pos = headerSize + 4;
  while (pos + 11 <= bytes.length) {
    const size = bytes.readUIntBE(pos + 1, 3);
    const end = pos + 11 + size + 4;
    if (end > bytes.length) break;
    const timestamp = (bytes.readUIntBE(pos + 4, 3) | ((bytes[pos + 7] as number) << 24)) >>> 0;
    const prev = bytes.readUInt32BE(pos + 11 + size);
    if (prev !== 11 + size) throw new Error(`bad PreviousTagSize ${prev} at ${pos}`);
    tags.push({
      type: bytes[pos] as number,
      timestamp,
      body: bytes.subarray(pos + 11, pos + 11 + size),
      raw: bytes.subarray(pos, end),
    });
    pos = end;
  }
  return { header: bytes.subarray(0, headerSize + 4), tags };
}

/** A video keyframe that is not a sequence header. */
export function isKeyframe(t: FlvTag): boolean {
  return t.type === 9 && (t.body[0] ?? 0) >> 4 === 1 && t.body[1] !== 0;
}

export function isVideoConfig(t: FlvTag): boolean {
  return t.type === 9 && t.body[1] === 0;
}

export function isAudioConfig(t: FlvTag): boolean {
  return t.type === 8 && (t.body[0] ?? 0) >> 4 === 10 && t.body[1] === 0;
}

export interface Viewer {
  /** Every byte received so far. */
  bytes: () => Buffer;
  /** Binary messages received (WebSocket) or body chunks (HTTP). */
  frames: () => number;
  /** Resolves when the connection ended: WebSocket close code/reason, or HTTP body end/error. */
  ended: Promise<{ code: number; reason: string }>;
  /** Set once it ended. */
  end: () => { code: number; reason: string } | null;
  close: () => void;
}

/** Opens a WebSocket-FLV viewer; resolves once it is open (rejects when the handshake is refused). */
export function watchWebSocket(url: string): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    const chunks: Buffer[] = [];
    let total: Buffer | null = null;
    let count = 0;
    let result: { code: number; reason: string } | null = null;
    let opened = false;
    const ended = new Promise<{ code: number; reason: string }>((done) => {
      ws.addEventListener("close", (e) => {
        result = { code: e.code, reason: e.reason };
        done(result);
        if (!opened) reject(new Error(`WebSocket refused (close ${e.code})`));
      });
    });
    ws.addEventListener("message", (e) => {
      if (e.data instanceof ArrayBuffer) {
        chunks.push(Buffer.from(e.data));
        total = null;
        count++;
      }
    });
    ws.addEventListener("open", () => {
      opened = true;
      resolve({
        bytes: () => {
          const all = total ?? Buffer.concat(chunks);
          total = all;
          return all;
        },
        frames: () => count,
        ended,
        end: () => result,
        close: () => ws.close(1000, "viewer done"),
      });
    });
  });
}

/** Opens an HTTP-FLV viewer; resolves with the response status and, on a 200, the viewer. */
export async function watchHttp(url: string): Promise<{ status: number; text?: string; viewer?: Viewer }> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  if (res.status !== 200 || !res.body) return { status: res.status, text: await res.text() };
  const chunks: Buffer[] = [];
  let count = 0;
  let result: { code: number; reason: string } | null = null;
  const reader = res.body.getReader();
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(Buffer.from(value));
        count++;
      }
      result = { code: 0, reason: "body ended" };
    } catch (err) {
      result = { code: -1, reason: String(err) };
    }
    return result;
  })();
  return {
    status: 200,
    viewer: {
      bytes: () => Buffer.concat(chunks),
      frames: () => count,
      ended,
      end: () => result,
      close: () => abort.abort(),
    },
  };
}

/**
 * A WebSocket viewer that completes the opening handshake (RFC 6455 §4) and then never reads: its TCP
 * receive window fills and the server's unsent bytes pile up, as with a viewer on a stalled network.
 */
export function stalledWebSocket(port: number, path: string): Promise<{ destroy: () => void }> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: "127.0.0.1", port });
    let head = "";
    sock.setTimeout(30_000, () => sock.destroy(new Error("no handshake answer")));
    sock.once("error", reject);
    sock.on("connect", () => {
      const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
      sock.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    const onData = (d: Buffer) => {
      head += d.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      sock.off("data", onData);
      sock.setTimeout(0);
      if (!head.startsWith("HTTP/1.1 101")) return reject(new Error(head.split("\r\n")[0]));
      sock.pause();
      // Keep the receive buffer small, so the backlog lands on the server side quickly.
      resolve({ destroy: () => sock.destroy() });
    };
    sock.on("data", onData);
  });
}
