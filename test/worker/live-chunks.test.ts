// RTMP chunk stream (Adobe RTMP specification 1.0 §5.3): messages split over chunks, Set Chunk Size,
// fmt 0/1/2/3 headers, extended timestamps, long chunk stream ids, limits.
import { describe, expect, it } from "vitest";
import { ChunkError, ChunkReader, type RtmpMessage } from "../../worker/live/chunk-reader";
import { encodeChunks } from "../../worker/live/chunk-writer";
import { setChunkSize } from "./live-origin-messages";

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const msg = (over: Partial<RtmpMessage> = {}): RtmpMessage => ({
  chunkStreamId: 6,
  typeId: 9,
  streamId: 1,
  timestamp: 40,
  payload: bytes(1000),
  ...over,
});
const concat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
/** fmt 1 header (7 bytes after the basic header): delta, length, type. */
const fmt1 = (csid: number, delta: number, length: number, type: number) => [
  0x40 | csid,
  delta >> 16,
  (delta >> 8) & 0xff,
  delta & 0xff,
  length >> 16,
  (length >> 8) & 0xff,
  length & 0xff,
  type,
];
const fmt2 = (csid: number, delta: number) => [0x80 | csid, delta >> 16, (delta >> 8) & 0xff, delta & 0xff];
const fmt3 = (csid: number) => [0xc0 | csid];

describe("RTMP chunk stream", () => {
  it("reassembles a 1000-byte message split into 128-byte chunks (fmt 0 + fmt 3), fed one byte at a time", () => {
    const m = msg();
    const wire = encodeChunks(m, 128);
    expect(wire.length).toBe(12 + 1000 + 7); // one fmt 0 header, seven 1-byte fmt 3 headers
    const reader = new ChunkReader();
    const out: RtmpMessage[] = [];
    for (const b of wire) out.push(...reader.push(Uint8Array.of(b)));
    expect(out).toEqual([m]);
    expect(reader.buffered).toBe(0);
  });

  it("applies Set Chunk Size to the chunks after it", () => {
    const reader = new ChunkReader();
    const big = msg({ payload: bytes(5000) });
    const wire = concat(setChunkSize(4096, 128), encodeChunks(big, 4096));
    const out = reader.push(wire);
    expect(out.map((m) => m.typeId)).toEqual([1, 9]);
    expect(reader.chunkSize).toBe(4096);
    expect(out[1]).toEqual(big);
  });

  it("fmt 1, 2 and 3 headers reuse the previous header and add timestamp deltas (§5.3.1.2)", () => {
    const reader = new ChunkReader();
    const first = encodeChunks(msg({ chunkStreamId: 4, timestamp: 1000, payload: bytes(10) }), 128);
    const wire = concat(
      first,
      fmt1(4, 40, 5, 8), // new length and type, +40 ms
      [1, 2, 3, 4, 5],
      fmt2(4, 20), // same length/type, +20 ms
      [6, 7, 8, 9, 10],
      fmt3(4), // a new message with everything repeated: +20 ms again
      [11, 12, 13, 14, 15],
    );
    const out = reader.push(wire);
    expect(out.map((m) => [m.typeId, m.timestamp, m.payload.length, m.streamId])).toEqual([
      [9, 1000, 10, 1],
      [8, 1040, 5, 1],
      [8, 1060, 5, 1],
      [8, 1080, 5, 1],
    ]);
    expect([...(out[3] as RtmpMessage).payload]).toEqual([11, 12, 13, 14, 15]);
  });

  it("a fmt 3 new message right after fmt 0 takes the fmt 0 timestamp as its delta (§5.3.1.2.4)", () => {
    const reader = new ChunkReader();
    const wire = concat(encodeChunks(msg({ chunkStreamId: 5, timestamp: 30, payload: bytes(3) }), 128), fmt3(5), [7, 7, 7]);
    expect(reader.push(wire).map((m) => m.timestamp)).toEqual([30, 60]);
  });

  it("extended timestamps: fmt 0 with 0xFFFFFF and 4 more bytes, repeated in its fmt 3 continuations", () => {
    const ts = 0x01234567;
    const m = msg({ timestamp: ts, payload: bytes(300) });
    const wire = encodeChunks(m, 128);
    expect(wire.length).toBe(12 + 4 + 300 + 2 * (1 + 4));
    expect([...wire.subarray(1, 4)]).toEqual([0xff, 0xff, 0xff]);
    const reader = new ChunkReader();
    expect(reader.push(wire)).toEqual([m]);
    // Split in the middle of an extended timestamp too.
    const again = new ChunkReader();
    expect([...again.push(wire.subarray(0, 14)), ...again.push(wire.subarray(14))]).toEqual([m]);
  });

  it("chunk stream ids of 2 and 3 bytes (64..319, 320..65599)", () => {
    const a = msg({ chunkStreamId: 100, payload: bytes(200) });
    const b = msg({ chunkStreamId: 4000, payload: bytes(200), timestamp: 7 });
    const wa = encodeChunks(a, 128);
    const wb = encodeChunks(b, 128);
    expect([wa[0], wa[1]]).toEqual([0, 36]);
    expect([wb[0], wb[1], wb[2]]).toEqual([1, (4000 - 64) & 0xff, (4000 - 64) >> 8]);
    expect(new ChunkReader().push(concat(wa, wb))).toEqual([a, b]);
  });

  it("interleaved chunks of two chunk streams each reassemble", () => {
    const a = encodeChunks(msg({ chunkStreamId: 4, payload: bytes(256, 3) }), 128);
    const b = encodeChunks(msg({ chunkStreamId: 6, typeId: 8, payload: bytes(256, 5) }), 128);
    // a: 12 + 128 | 1 + 128;  b: 12 + 128 | 1 + 128
    const wire = concat(a.subarray(0, 140), b.subarray(0, 140), a.subarray(140), b.subarray(140));
    const out = new ChunkReader().push(wire);
    expect(out.map((m) => m.chunkStreamId)).toEqual([4, 6]);
    expect(out[0]?.payload).toEqual(bytes(256, 3));
    expect(out[1]?.payload).toEqual(bytes(256, 5));
  });

  it("refuses a message over the size limit, a continuation without a start, and a bad chunk size", () => {
    expect(() => new ChunkReader(1000).push(encodeChunks(msg({ payload: bytes(2000) }), 128))).toThrow(/exceeds/);
    expect(() => new ChunkReader().push(Uint8Array.from(fmt3(9)))).toThrow(ChunkError);
    const zero = encodeChunks(
      { chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload: Uint8Array.of(0, 0, 0, 0) },
      128,
    );
    expect(() => new ChunkReader().push(zero)).toThrow(/bad chunk size/);
  });
});
