/**
 * An RTMP client that plays one live stream from an origin over a byte socket (Adobe RTMP specification
 * 1.0: handshake §5.2, chunking §5.3, protocol control §5.4, user control §7.1.7, NetConnection and
 * NetStream commands §7.2), the sequence librtmp (rtmp.c: RTMP_Connect, SendConnectPacket,
 * HandleInvoke, SendPlay) and FFmpeg (libavformat/rtmpproto.c) follow, and what nginx-rtmp needs of a
 * player:
 *
 *   C0+C1 → S0+S1+S2 → C2, connect(app, tcUrl, flashVer) → _result → Window Acknowledgement Size +
 *   createStream → _result(stream id) → play(stream name, start -1 = live only) + Set Buffer Length →
 *   onStatus NetStream.Play.Start, then audio (8), video (9) and data (18) messages.
 *
 * Along the way it obeys Set Chunk Size and Abort (chunk-reader.ts), acknowledges every Window
 * Acknowledgement Size worth of bytes (§5.4.3; a server may stop sending to a peer that never
 * acknowledges), answers Set Peer Bandwidth with its window (§5.4.5) and PingRequest with PingResponse
 * (nginx-rtmp drops a peer that misses its pings: `ping`/`ping_timeout`). The play ends, once, on
 * onStatus NetStream.Play.UnpublishNotify or user control StreamEOF (nginx-rtmp's ngx_rtmp_live.c sends
 * both when the publisher stops), on an error status or _error, on the socket's end, on a protocol
 * error, or on `stop()`.
 */

import type { ByteSocket } from "../shared/connect-first";
import { type AmfObject, type AmfValue, decodeAmf0, encodeAmf0 } from "./amf0";
import { ChunkReader, type RtmpMessage } from "./chunk-reader";
import {
  acknowledgement,
  CSID_COMMAND,
  CSID_PLAY,
  encodeChunks,
  MSG,
  USER_CONTROL,
  userControl,
  windowAckSize,
} from "./chunk-writer";
import { metadataBody, splitAggregate, TAG_AUDIO, TAG_SCRIPT, TAG_VIDEO } from "./flv";
import { clientAck, clientHello, HANDSHAKE_SIZE } from "./handshake";

export type { ByteSocket };

export interface PlayTarget {
  /** rtmp://host:port/app, as the connect command's tcUrl. */
  tcUrl: string;
  app: string;
  stream: string;
}

export type EndReason =
  | "unpublished" // the publisher stopped (UnpublishNotify / StreamEOF)
  | "origin_closed" // the socket ended
  | "origin_failed" // the socket failed
  | "rejected" // _error or an error onStatus (e.g. NetConnection.Connect.Rejected)
  | "protocol_error" // malformed chunks or handshake
  | "timeout" // no answer to connect/createStream in time
  | "stopped"; // stop() was called

export interface PlayEnd {
  reason: EndReason;
  detail: string;
}

export interface PlayerEvents {
  /** An FLV-ready media tag: type 8, 9 or 18 (data already reduced to onMetaData). */
  media(type: number, timestamp: number, body: Uint8Array): void;
  /** NetStream.Play.Start arrived. */
  playing?(): void;
  /** Called exactly once. */
  ended(end: PlayEnd): void;
}

/** The window this client asks the server to acknowledge by (librtmp sends 2500000). */
const CLIENT_WINDOW = 2_500_000;
const FLASH_VER = "LNX 9,0,124,2";
/** Transaction ids of our two requests. */
const TX_CONNECT = 1;
const TX_CREATE_STREAM = 2;

export class RtmpPlayer {
  private readonly chunks: ChunkReader;
  private writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  private writing: Promise<void> = Promise.resolve();
  private received = 0;
  private lastAck = 0;
  private ackWindow = 0;
  private sentWindow = 0;
  private streamId: number | null = null;
  private done = false;
  private setupTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly socket: ByteSocket,
    private readonly target: PlayTarget,
    private readonly events: PlayerEvents,
    private readonly setupTimeoutMs = 10_000,
    maxMessage = 8 * 1024 * 1024,
  ) {
    this.chunks = new ChunkReader(maxMessage);
  }

  get ended(): boolean {
    return this.done;
  }

  /** Runs the play to its end (never throws; `events.ended` says why it ended). */
  async run(): Promise<void> {
    this.writer = this.socket.writable.getWriter();
    this.setupTimer = setTimeout(() => this.end("timeout", "no play within the setup timeout"), this.setupTimeoutMs);
    const reader = this.socket.readable.getReader();
    this.write(clientHello());
    let handshake: Uint8Array | null = new Uint8Array(0);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (this.done) return;
        if (done) return this.end("origin_closed", "the origin closed the connection");
        if (handshake) {
          handshake = concat(handshake, value);
          if (handshake.length < 1 + 2 * HANDSHAKE_SIZE) continue;
          // S0 + S1 + S2 all here: C2, then connect (the client may send once S2 arrived, §5.2.2).
          this.write(clientAck(handshake));
          this.connect();
          const rest = handshake.subarray(1 + 2 * HANDSHAKE_SIZE);
          handshake = null;
          if (rest.length > 0) this.receive(rest);
          continue;
        }
        this.receive(value);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const protocol =
        err instanceof Error && (err.name === "ChunkError" || err.name === "AmfError" || message.startsWith("handshake"));
      this.end(protocol ? "protocol_error" : "origin_failed", message);
    } finally {
      reader.releaseLock();
    }
  }

  /** Ends the play and closes the socket (idempotent). */
  stop(detail = "stopped"): void {
    this.end("stopped", detail);
  }

  private end(reason: EndReason, detail: string): void {
    if (this.done) return;
    this.done = true;
    if (this.setupTimer) clearTimeout(this.setupTimer);
    this.socket.close().catch(() => {});
    this.events.ended({ reason, detail });
  }

  private write(bytes: Uint8Array): void {
    const writer = this.writer;
    if (!writer || this.done) return;
    this.writing = this.writing
      .then(() => writer.write(bytes))
      .catch((err) => this.end("origin_failed", `write failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  private command(csid: number, streamId: number, ...values: AmfValue[]): void {
    const payload = encodeAmf0(...values);
    this.write(encodeChunks({ chunkStreamId: csid, typeId: MSG.CommandAmf0, streamId, timestamp: 0, payload }, 128));
  }

  private connect(): void {
    this.command(CSID_COMMAND, 0, "connect", TX_CONNECT, {
      app: this.target.app,
      flashVer: FLASH_VER,
      tcUrl: this.target.tcUrl,
      fpad: false,
      capabilities: 15,
      audioCodecs: 3191,
      videoCodecs: 252,
      videoFunction: 1,
    });
  }

  private receive(bytes: Uint8Array): void {
    this.received += bytes.length;
    for (const msg of this.chunks.push(bytes)) {
      this.handle(msg);
      if (this.done) return;
    }
    if (this.ackWindow > 0 && this.received - this.lastAck >= this.ackWindow) {
      this.lastAck = this.received;
      this.write(acknowledgement(this.received));
    }
  }

  private handle(msg: RtmpMessage): void {
    const p = msg.payload;
    switch (msg.typeId) {
      case MSG.WindowAckSize:
        if (p.length >= 4) this.ackWindow = readU32(p, 0);
        return;
      case MSG.SetPeerBandwidth:
        if (p.length >= 4) {
          const size = readU32(p, 0);
          if (size !== this.sentWindow) {
            this.sentWindow = size;
            this.write(windowAckSize(size));
          }
        }
        return;
      case MSG.UserControl:
        this.userControl(p);
        return;
      case MSG.CommandAmf0:
        this.onCommand(decodeAmf0(p));
        return;
      case MSG.CommandAmf3:
        this.onCommand(decodeAmf0(p.subarray(1)));
        return;
      case MSG.Audio:
        if (p.length > 0) this.events.media(TAG_AUDIO, msg.timestamp, p);
        return;
      case MSG.Video:
        if (p.length > 0) this.events.media(TAG_VIDEO, msg.timestamp, p);
        return;
      case MSG.DataAmf0:
      case MSG.DataAmf3: {
        const body = metadataBody(msg.typeId === MSG.DataAmf3 ? p.subarray(1) : p);
        if (body) this.events.media(TAG_SCRIPT, msg.timestamp, body);
        return;
      }
      case MSG.Aggregate:
        for (const sub of splitAggregate(msg.timestamp, p)) {
          if (sub.type === TAG_AUDIO || sub.type === TAG_VIDEO) this.events.media(sub.type, sub.timestamp, sub.body);
        }
        return;
    }
  }

  private userControl(p: Uint8Array): void {
    if (p.length < 6) return;
    const event = (p[0] as number) * 256 + (p[1] as number);
    const value = readU32(p, 2);
    if (event === USER_CONTROL.PingRequest) this.write(userControl(USER_CONTROL.PingResponse, value));
    else if (event === USER_CONTROL.StreamEof && this.streamId !== null && value === this.streamId) {
      this.end("unpublished", "StreamEOF");
    }
  }

  private onCommand(values: AmfValue[]): void {
    const [name, txn] = values;
    if (name === "_result" && txn === TX_CONNECT) {
      this.write(windowAckSize(CLIENT_WINDOW));
      this.sentWindow = CLIENT_WINDOW;
      this.command(CSID_COMMAND, 0, "createStream", TX_CREATE_STREAM, null);
    } else if (name === "_result" && txn === TX_CREATE_STREAM) {
      const id = values[3];
      if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
        this.end("protocol_error", "createStream answered no stream id");
        return;
      }
      this.streamId = id;
      this.command(CSID_PLAY, id, "play", 0, null, this.target.stream, -1);
      this.write(userControl(USER_CONTROL.SetBufferLength, id, 1000));
    } else if (name === "_error") {
      this.end("rejected", statusOf(values[3]).description || "the origin answered _error");
    } else if (name === "onStatus") {
      const status = statusOf(values[3]);
      if (status.code === "NetStream.Play.Start") {
        if (this.setupTimer) clearTimeout(this.setupTimer);
        this.setupTimer = null;
        this.events.playing?.();
      } else if (status.code === "NetStream.Play.UnpublishNotify" || status.code === "NetStream.Play.Stop") {
        this.end("unpublished", status.code);
      } else if (status.level === "error") {
        this.end("rejected", status.code || "error status");
      }
    } else if (name === "close") {
      this.end("origin_closed", "the origin sent close");
    }
  }
}

function statusOf(v: AmfValue): { code: string; level: string; description: string } {
  const o = (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) ? v : {}) as AmfObject;
  const str = (x: AmfValue) => (typeof x === "string" ? x : "");
  return { code: str(o.code), level: str(o.level), description: str(o.description) };
}

function readU32(b: Uint8Array, p: number): number {
  return (((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number)) >>> 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
