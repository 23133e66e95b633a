/**
 * A small RTMP → RTMPT tunnel for end-to-end tests: accepts plain RTMP from a real client (ffmpeg,
 * rtmpdump) on a free 127.0.0.1 port and carries each connection's bytes over RTMPT to a worker, framed
 * exactly as one real RTMPT client frames them (rtmpt-tunnel-clients.ts: HaishinKit, RootEncoder,
 * Flash, librtmp). So the worker sees a mobile SDK's or Flash's request sequence, paths, bodies,
 * connections and close, while the media is ffmpeg's real RTMP. Records every reply that some client
 * would not accept (rtmpt-tunnel-http.ts `replyFault`) and when each RTMP client ended.
 */
import { createServer, type Server, type Socket } from "node:net";
import { freePort } from "./process";
import { type ClientFraming, FRAMINGS } from "./rtmpt-tunnel-clients";
import { type RawReply, replyFault } from "./rtmpt-tunnel-http";

/** One RTMP client connection being carried: its outgoing bytes, its end, and where replies go. */
export class Relay {
  private out: Buffer[] = [];
  private wakers: Array<() => void> = [];
  /** Date.now() when the RTMP client closed its connection (null while it is open). */
  endedAt: number | null = null;
  /** The RTMPT session id, once opened. */
  sessionId: string | null = null;
  /** Set by the framing once its close (or its last request) went out. */
  closing = false;
  /** The status line of the reply to the framing's /close, for framings that read it (all but librtmp's). */
  closeReply: string | null = null;
  /** The framing's recent requests and replies (HttpConnection.trace), for a failing test's message. */
  trace: string[] = [];

  constructor(
    readonly client: Socket,
    private readonly faults: string[],
  ) {
    client.setNoDelay(true);
    client.on("data", (d: Buffer) => {
      this.out.push(d);
      this.wake();
    });
    const ended = () => {
      this.endedAt ??= Date.now();
      this.wake();
    };
    client.on("end", ended);
    client.on("close", ended);
    client.on("error", ended);
  }

  get ended(): boolean {
    return this.endedAt !== null;
  }

  get pending(): number {
    return this.out.reduce((n, b) => n + b.length, 0);
  }

  /** Everything the RTMP client wrote since the last take. */
  take(): Buffer {
    const all = Buffer.concat(this.out);
    this.out = [];
    return all;
  }

  /** Resolves at the next client write or end, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakers = self.wakers.filter((w) => w !== done);
        resolve();
      }
      this.wakers.push(done);
    });
  }

  /** Checks a session reply as every client would; false when this client would drop it. */
  accept(path: string, reply: RawReply): boolean {
    const fault = replyFault(reply);
    if (fault && !this.closing) this.faults.push(`${path}: ${fault}`);
    return fault === null;
  }

  /** Hands origin bytes (a reply without its polling byte) to the RTMP client. */
  deliver(bytes: Buffer): void {
    if (bytes.length > 0 && !this.client.destroyed) this.client.write(bytes);
  }

  /** Ends the RTMP side (the RTMPT session failed or ended). */
  hangUp(): void {
    this.client.destroy();
  }

  private wake(): void {
    for (const w of this.wakers.splice(0)) w();
  }
}

export interface RtmptTunnel {
  port: number;
  /** `rtmp://127.0.0.1:<port>/<path>` for ffmpeg or rtmpdump. */
  url: (path: string) => string;
  framing: ClientFraming;
  relays: Relay[];
  /** Replies some real client would have dropped (before its close). */
  faults: string[];
  /** Errors the framing ran into (a request refused, a connection lost). */
  errors: string[];
  stop: () => Promise<void>;
}

/** Starts a tunnel to the worker at 127.0.0.1:`workerPort`, framing RTMPT as `framing` does. */
export async function startRtmptTunnel(workerPort: number, framing: ClientFraming): Promise<RtmptTunnel> {
  const port = await freePort();
  const relays: Relay[] = [];
  const faults: string[] = [];
  const errors: string[] = [];
  const run = FRAMINGS[framing];
  const server: Server = createServer((client) => {
    const relay = new Relay(client, faults);
    relays.push(relay);
    run(relay, workerPort).catch((err: unknown) => {
      if (!relay.ended && !relay.closing) errors.push(`${framing}: ${err instanceof Error ? err.message : String(err)}`);
      relay.hangUp();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    url: (path) => `rtmp://127.0.0.1:${port}/${path}`,
    framing,
    relays,
    faults,
    errors,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const r of relays) r.hangUp();
        server.close(() => resolve());
      }),
  };
}
