// Edges of the live playback parts the other live suites leave open: what the errors are called in a
// log, how deep an AMF0 value may nest when written (Action Message Format AMF0 §2), Set Chunk Size 1
// (RTMP specification 1.0 §5.4.1: sizes 1 to 2^31-1), the chunk stream of protocol control messages
// (§5.4: "chunk stream ID 2") and 3-byte message lengths (§5.3.1.2.1), the handshake's time field and
// exact S0+S1 (§5.2.3), the two sinks a viewer is served through, and a viewer that joined before the
// first keyframe with a backlog already.
import { describe, expect, it, vi } from "vitest";
import { AmfError, type AmfObject, decodeAmf0, encodeAmf0 } from "../../worker/live/amf0";
import { ChunkError, ChunkReader } from "../../worker/live/chunk-reader";
import { acknowledgement, encodeChunks } from "../../worker/live/chunk-writer";
import { tagRole } from "../../worker/live/flv";
import { makeTag, type Tag } from "../../worker/live/gop-cache";
import { clientAck, clientHello, HANDSHAKE_SIZE } from "../../worker/live/handshake";
import { HttpSink, WebSocketSink } from "../../worker/live/sinks";
import { HIGH_WATER, LOW_WATER, Viewer, type ViewerSink } from "../../worker/live/viewer";
import { setChunkSize } from "./live-origin-messages";

const nested = (depth: number): AmfObject => (depth === 0 ? { leaf: 1 } : { inner: nested(depth - 1) });

describe("errors say which layer refused", () => {
  it("AmfError and ChunkError are named so in a log line", () => {
    let amf: unknown;
    try {
      decodeAmf0(Uint8Array.from([0x00, 1, 2]));
    } catch (err) {
      amf = err;
    }
    expect(String(amf)).toMatch(/^AmfError: /);
    let chunk: unknown;
    try {
      new ChunkReader().push(setChunkSize(0, 128));
    } catch (err) {
      chunk = err;
    }
    expect(chunk).toBeInstanceOf(ChunkError);
    expect(String(chunk)).toBe("ChunkError: bad chunk size 0");
  });
});

describe("AMF0 writing", () => {
  it("nests objects up to 32 levels and refuses deeper ones", () => {
    expect(decodeAmf0(encodeAmf0(nested(31)))).toEqual([nested(31)]);
    expect(() => encodeAmf0(nested(33))).toThrow(new AmfError("value nested too deeply"));
  });
});

describe("RTMP chunks", () => {
  it("Set Chunk Size 1, the smallest the specification allows, is taken", () => {
    const reader = new ChunkReader();
    const payload = Uint8Array.of(1, 2, 3, 4, 5);
    const msg = { chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: 40, payload };
    const out = reader.push(Uint8Array.from([...setChunkSize(1, 128), ...encodeChunks(msg, 1)]));
    expect(reader.chunkSize).toBe(1);
    expect(out.at(-1)).toEqual(msg);
  });

  it("protocol control messages go on chunk stream 2, message stream 0", () => {
    const [message] = new ChunkReader().push(acknowledgement(0x01020304));
    expect(message).toMatchObject({ chunkStreamId: 2, streamId: 0, typeId: 3 });
    expect([...(message?.payload ?? [])]).toEqual([1, 2, 3, 4]);
  });

  it("writes a message length over 65535 in all three bytes", () => {
    const payload = new Uint8Array(0x012345);
    const wire = encodeChunks({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: 0, payload }, 0x10000000);
    // fmt 0 header: basic header, timestamp (3), message length (3), type, stream id.
    expect([...wire.subarray(4, 7)]).toEqual([0x01, 0x23, 0x45]);
    const reader = new ChunkReader();
    reader.push(setChunkSize(0x10000000, 128));
    expect(reader.push(wire)[0]?.payload.length).toBe(0x012345);
  });
});

describe("handshake", () => {
  it("C1 carries the time it is given; exactly S0 + S1 is enough to answer", () => {
    const c0c1 = clientHello(0x01020304);
    expect([...c0c1.subarray(0, 9)]).toEqual([3, 1, 2, 3, 4, 0, 0, 0, 0]);
    const s1 = Uint8Array.from({ length: HANDSHAKE_SIZE }, (_, i) => i & 0xff);
    const c2 = clientAck(Uint8Array.from([3, ...s1]), 7);
    expect(c2.length).toBe(HANDSHAKE_SIZE);
    expect([...c2.subarray(0, 8)]).toEqual([0, 1, 2, 3, 0, 0, 0, 7]);
    expect(() => clientAck(Uint8Array.from([3, ...s1.subarray(1)]))).toThrow("handshake: short S0+S1");
  });
});

describe("viewer sinks", () => {
  it("a WebSocket sink says so (in the viewer logs) and closes its socket with the code and reason", () => {
    const ws = { send: vi.fn(), close: vi.fn(), bufferedAmount: 12 } as unknown as WebSocket;
    const sink = new WebSocketSink(ws);
    expect(sink.kind).toBe("websocket");
    expect(sink.buffered()).toBe(12);
    sink.close(1011, "origin lost");
    expect(ws.close).toHaveBeenCalledWith(1011, "origin lost");
  });

  it("an HTTP sink ends its body once, and sends nothing after the body was cancelled", async () => {
    let cancelled = 0;
    const sink = new HttpSink(() => cancelled++);
    expect(sink.kind).toBe("http");
    sink.send(Uint8Array.of(1));
    const reader = sink.readable.getReader();
    expect([...((await reader.read()).value ?? [])]).toEqual([1]);
    await reader.cancel();
    expect(cancelled).toBe(1);
    expect(() => {
      sink.send(Uint8Array.of(2));
      sink.close();
    }).not.toThrow();
    expect(cancelled).toBe(1);
  });
});

class BackedUpSink implements ViewerSink {
  readonly kind = "websocket";
  sent: Uint8Array[] = [];
  constructor(public backlog: number) {}
  send(b: Uint8Array) {
    this.sent.push(b);
  }
  buffered() {
    return this.backlog;
  }
  close() {}
}

const tag = (type: number, ts: number, body: Uint8Array): Tag => makeTag(type, ts, body, tagRole(type, body));
const AVC_KEY = Uint8Array.from([0x17, 1, 0, 0, 0, 9, 9]);
const AAC_CONFIG = Uint8Array.of(0xaf, 0, 0x12, 0x10);
const METADATA = encodeAmf0("onMetaData", { width: 320 });

describe("a viewer that joined before the first keyframe", () => {
  it("gets audio configuration and metadata while it waits, and starts at the keyframe even with a backlog (it never fell behind)", () => {
    const sink = new BackedUpSink(LOW_WATER + 1);
    const v = new Viewer(sink, "c");
    v.start([], false);
    v.offer(tag(8, 0, AAC_CONFIG), 0);
    v.offer(tag(18, 0, METADATA), 0);
    expect(sink.sent).toHaveLength(2);
    v.offer(tag(9, 40, AVC_KEY), 0);
    expect(v.state).toBe("live");
    expect(sink.sent).toHaveLength(3);
  });
});

describe("a viewer that fell behind", () => {
  it("resumes at a keyframe once its backlog is down to LOW_WATER (256 KiB), not only when empty", () => {
    const sink = new BackedUpSink(0);
    const v = new Viewer(sink, "c");
    v.start([], true);
    sink.backlog = HIGH_WATER + 1;
    v.offer(tag(9, 40, AVC_KEY), 1000);
    expect(v.state).toBe("waiting-key");
    sink.backlog = LOW_WATER;
    expect(LOW_WATER).toBe(256 * 1024);
    v.offer(tag(9, 80, AVC_KEY), 2000);
    expect(v.state).toBe("live");
    expect(v.behindSince).toBeNull();
  });
});
