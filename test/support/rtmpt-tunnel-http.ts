/**
 * The HTTP side of the RTMPT test tunnel (rtmpt-tunnel.ts): one raw HTTP/1.1 connection on which RTMPT
 * POSTs are written byte for byte as a client writes them (headers as librtmp's HTTP_Post, rtmp.c:4409),
 * several at once if the caller pipelines, with replies parsed strictly in order by their
 * Content-Length (RFC 9112 §6). Also checks each reply against what every real client accepts: status
 * line `HTTP/1.1 200 OK` (librtmp's HTTP_read compares its first 13 bytes), a Content-Length, no
 * Transfer-Encoding, and `Content-Type` exactly `application/x-fcs` (HaishinKit drops any other reply,
 * RTMPTSocket.swift:157-161).
 */
import { connect, type Socket } from "node:net";

export interface RawReply {
  statusLine: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Why a reply would not be taken by every RTMPT client, or null when it would. */
export function replyFault(r: RawReply): string | null {
  if (r.statusLine !== "HTTP/1.1 200 OK") return `status line ${JSON.stringify(r.statusLine)}`;
  if (r.headers["content-type"] !== "application/x-fcs") return `Content-Type ${JSON.stringify(r.headers["content-type"])}`;
  if (r.headers["transfer-encoding"] !== undefined) return "Transfer-Encoding";
  if (r.headers["content-length"] === undefined) return "no Content-Length";
  if (r.body.length < 1) return "empty body";
  return null;
}

export class HttpConnection {
  private buf = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve: (r: RawReply) => void; reject: (e: Error) => void }> = [];
  private failed: Error | null = null;
  /** The last requests written and when their replies came (for a failing test's message). */
  readonly trace: string[] = [];

  private constructor(
    private readonly sock: Socket,
    private readonly host: string,
  ) {
    sock.setNoDelay(true);
    sock.on("data", (d: Buffer) => this.onData(d));
    const fail = (err: Error) => {
      this.failed ??= err;
      for (const w of this.waiting.splice(0)) w.reject(this.failed);
    };
    sock.on("error", fail);
    sock.on("close", () => fail(new Error("connection closed")));
  }

  static open(port: number): Promise<HttpConnection> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host: "127.0.0.1", port });
      sock.once("connect", () => resolve(new HttpConnection(sock, `127.0.0.1:${port}`)));
      sock.once("error", reject);
    });
  }

  /** Writes one POST at once (it may be pipelined behind others); resolves with its reply. */
  post(path: string, body: Uint8Array, extraHeaders = ""): Promise<RawReply> {
    if (this.failed) return Promise.reject(this.failed);
    const head =
      `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nAccept: */*\r\nUser-Agent: Shockwave Flash\r\n` +
      `Connection: Keep-Alive\r\nCache-Control: no-cache\r\nContent-Type: application/x-fcs\r\n${extraHeaders}` +
      `Content-Length: ${body.length}\r\n\r\n`;
    const sent = Date.now();
    const reply = new Promise<RawReply>((resolve, reject) => this.waiting.push({ resolve, reject }));
    reply.then(
      (r) => this.note(`${path} ${body.length} B -> ${r.statusLine} ${r.body.length} B in ${Date.now() - sent} ms`),
      (e: Error) => this.note(`${path} ${body.length} B -> ${e.message} after ${Date.now() - sent} ms`),
    );
    this.note(`${path} ${body.length} B sent`);
    this.sock.write(Buffer.concat([Buffer.from(head, "latin1"), body]));
    return reply;
  }

  /** Replies still expected. */
  get unanswered(): number {
    return this.waiting.length;
  }

  /** Closes at once with a TCP reset, replies unread (as librtmp's close does to a busy socket). */
  reset(): void {
    this.sock.resetAndDestroy();
  }

  close(): void {
    this.sock.destroy();
  }

  private note(line: string): void {
    this.trace.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (this.trace.length > 40) this.trace.shift();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const end = this.buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      const [statusLine = "", ...lines] = this.buf.subarray(0, end).toString("latin1").split("\r\n");
      const headers: Record<string, string> = {};
      for (const l of lines) headers[l.slice(0, l.indexOf(":")).toLowerCase()] = l.slice(l.indexOf(":") + 1).trim();
      const length = Number(headers["content-length"] ?? Number.NaN);
      if (!Number.isFinite(length)) {
        this.sock.destroy(new Error(`reply without Content-Length: ${statusLine}`));
        return;
      }
      if (this.buf.length < end + 4 + length) return;
      const reply = { statusLine, headers, body: Buffer.from(this.buf.subarray(end + 4, end + 4 + length)) };
      this.buf = this.buf.subarray(end + 4 + length);
      this.waiting.shift()?.resolve(reply);
    }
  }
}
