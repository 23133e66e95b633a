/**
 * A long RTMPT session as librtmp runs one: every POST of the session on the one TCP connection it
 * opened first, replies read by their Content-Length (librtmp rtmp.c: RTMP_Connect0 opens the socket
 * once, HTTP_Post writes each request to it and HTTP_read parses the reply's Content-Length; nothing
 * reconnects). So when a server ends the connection (`Connection: close`, as Apache does after
 * MaxKeepAliveRequests, or a plain close) the session is dropped: the next request fails and the client
 * gives up. Each session paces its requests like a publisher's steady stream of /send.
 */
import { connect, type Socket } from "node:net";

export interface SessionOutcome {
  /** Every request of the session got a 200 on its one connection. */
  held: boolean;
  /** Requests answered 200 (the /open included). */
  ok: number;
  /** Requests that did not get a 200: refused, or lost with the connection (at most one: then it gives up). */
  failed: number;
  /** Why it ended early, when it did. */
  reason?: string;
}

interface Reply {
  status: number;
  body: Buffer;
  /** The server said it closes the connection after this reply. */
  closing: boolean;
}

/** One HTTP/1.1 exchange at a time over `socket`, replies framed by Content-Length. */
class Exchanger {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private ended: Error | null = null;

  constructor(private readonly socket: Socket) {
    socket.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    const end = (why: string) => {
      this.ended ??= new Error(why);
      this.wake();
    };
    socket.on("end", () => end("connection closed by the server"));
    socket.on("close", () => end("connection closed"));
    socket.on("error", (err) => end(`connection error: ${err.message}`));
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private async more(): Promise<void> {
    if (this.ended) throw this.ended;
    await new Promise<void>((resolve) => {
      this.waiter = resolve;
    });
  }

  async post(host: string, path: string, body: Buffer, client: string): Promise<Reply> {
    if (this.ended) throw this.ended;
    // Head and body in one write: the bench origin answers before reading a body, and a proxy that
    // relays such an early answer while the body is still on its way closes the connection after it.
    const request = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-fcs\r\nContent-Length: ${body.length}\r\nUser-Agent: Shockwave Flash\r\nCF-Connecting-IP: ${client}\r\n\r\n`;
    this.socket.write(Buffer.concat([Buffer.from(request, "latin1"), body]));
    let headEnd = this.buf.indexOf("\r\n\r\n");
    while (headEnd < 0) {
      await this.more();
      headEnd = this.buf.indexOf("\r\n\r\n");
    }
    const head = this.buf.subarray(0, headEnd).toString("latin1");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? Number.NaN);
    if (!Number.isFinite(length)) throw new Error(`reply without Content-Length (status ${status})`);
    while (this.buf.length < headEnd + 4 + length) await this.more();
    const replyBody = this.buf.subarray(headEnd + 4, headEnd + 4 + length);
    this.buf = this.buf.subarray(headEnd + 4 + length);
    return { status, body: Buffer.from(replyBody), closing: /\r\nconnection:\s*close/i.test(head) };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One session: /open/1, then `requests` /send of `bodyBytes` every `intervalMs`, then /close. */
export async function runLongSession(
  baseUrl: string,
  opts: { requests: number; intervalMs: number; bodyBytes: number; client: string },
): Promise<SessionOutcome> {
  const url = new URL(baseUrl);
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  }).catch(() => undefined);
  const x = new Exchanger(socket);
  const outcome: SessionOutcome = { held: false, ok: 0, failed: 0 };
  const body = Buffer.alloc(opts.bodyBytes, 7);
  let closing = false;
  const step = async (path: string, payload: Buffer): Promise<Buffer | null> => {
    if (closing) {
      outcome.failed++;
      outcome.reason = "the server closed the connection (Connection: close)";
      return null;
    }
    try {
      const r = await x.post(url.host, path, payload, opts.client);
      closing = r.closing;
      if (r.status !== 200) {
        outcome.failed++;
        outcome.reason = `status ${r.status}`;
        return null;
      }
      outcome.ok++;
      return r.body;
    } catch (err) {
      outcome.failed++;
      outcome.reason = String(err instanceof Error ? err.message : err);
      return null;
    }
  };
  try {
    const open = await step("/open/1", Buffer.from([0]));
    if (!open) return outcome;
    const id = open.toString().trim();
    let seq = 0;
    for (; seq < opts.requests; seq++) {
      const t0 = performance.now();
      if (!(await step(`/send/${id}/${seq}`, body))) return outcome;
      const wait = opts.intervalMs - (performance.now() - t0);
      if (wait > 0) await sleep(wait);
    }
    if (!(await step(`/close/${id}/${seq}`, Buffer.from([0])))) return outcome;
    outcome.held = true;
    return outcome;
  } finally {
    socket.destroy();
  }
}
