/**
 * RTMP chunk stream, receiving side (Adobe "Real-Time Messaging Protocol (RTMP) specification" 1.0,
 * 2012, §5.3 Chunking): turns the bytes after the handshake into whole messages. Pure.
 *
 * - Basic header (§5.3.1.1): fmt in the top 2 bits; chunk stream id 2..63 in the low 6 bits, or 0 →
 *   one more byte (64..319), 1 → two more bytes, little end first (64..65599).
 * - Message header (§5.3.1.2): fmt 0 = 11 bytes (absolute timestamp, length, type id, message stream id
 *   little-endian), fmt 1 = 7 bytes (timestamp delta, length, type id), fmt 2 = 3 bytes (delta), fmt 3 =
 *   none: a continuation of the message in progress, or a new message repeating the previous header;
 *   "If a Type 3 chunk follows a Type 0 chunk, then the timestamp delta for this Type 3 chunk is the same
 *   as the timestamp of the Type 0 chunk" (§5.3.1.2.4), as FFmpeg's rtmppkt.c computes it too.
 * - Extended timestamp (§5.3.1.3): a 24-bit field of 0xFFFFFF means 4 more bytes carry the value. A
 *   fmt 3 chunk on a chunk stream whose last header used it repeats those 4 bytes, as nginx-rtmp sends
 *   them (ngx_rtmp_prepare_message) and librtmp reads them (RTMP_ReadPacket).
 * - Set Chunk Size (type 1, §5.4.1) and Abort (type 2, §5.4.2) take effect here, before the next chunk.
 *
 * Memory is bounded: a message longer than `maxMessage` is an error (the origin is broken or hostile),
 * and only a whole chunk is consumed, so the unread remainder is at most one chunk plus its header.
 */

export interface RtmpMessage {
  chunkStreamId: number;
  typeId: number;
  streamId: number;
  /** Milliseconds, modulo 2^32 (§5.3.1.2: timestamps wrap around). */
  timestamp: number;
  payload: Uint8Array;
}

export class ChunkError extends Error {
  override name = "ChunkError";
}

/** Set Chunk Size may not exceed 0x7FFFFFFF (§5.4.1); a message is at most 2^24-1 bytes by its length field. */
const MAX_CHUNK_SIZE = 0x7fffffff;
export const DEFAULT_CHUNK_SIZE = 128;

interface ChunkStreamState {
  timestamp: number;
  delta: number;
  length: number;
  typeId: number;
  streamId: number;
  extended: boolean;
  /** The message being assembled on this chunk stream, or null between messages. */
  partial: Uint8Array | null;
  received: number;
}

export class ChunkReader {
  chunkSize = DEFAULT_CHUNK_SIZE;
  private pending: Uint8Array = new Uint8Array(0);
  private readonly streams = new Map<number, ChunkStreamState>();
  /** Bytes allocated for messages still being assembled, over all chunk streams. */
  private assembling = 0;

  constructor(private readonly maxMessage = 8 * 1024 * 1024) {}

  /** Bytes held back waiting for the rest of their chunk. */
  get buffered(): number {
    return this.pending.length;
  }

  /** Feeds bytes from the socket; returns the messages they complete, in order. */
  push(bytes: Uint8Array): RtmpMessage[] {
    let buf: Uint8Array;
    if (this.pending.length === 0) buf = bytes;
    else {
      buf = new Uint8Array(this.pending.length + bytes.length);
      buf.set(this.pending);
      buf.set(bytes, this.pending.length);
    }
    const out: RtmpMessage[] = [];
    let pos = 0;
    for (;;) {
      const used = this.chunk(buf, pos, out);
      if (used === 0) break;
      pos += used;
    }
    this.pending = pos === buf.length ? new Uint8Array(0) : buf.slice(pos);
    return out;
  }

  /** Parses one whole chunk at `pos`; returns the bytes it took, or 0 when it is not all there yet. */
  private chunk(buf: Uint8Array, start: number, out: RtmpMessage[]): number {
    let pos = start;
    const avail = buf.length - start;
    if (avail < 1) return 0;
    const b0 = buf[pos++] as number;
    const fmt = b0 >> 6;
    let csid = b0 & 0x3f;
    if (csid === 0) {
      if (avail < 2) return 0;
      csid = 64 + (buf[pos++] as number);
    } else if (csid === 1) {
      if (avail < 3) return 0;
      csid = 64 + (buf[pos] as number) + (buf[pos + 1] as number) * 256;
      pos += 2;
    }
    const headerLength = [11, 7, 3, 0][fmt] as number;
    if (buf.length - pos < headerLength) return 0;
    const prev = this.streams.get(csid);
    if (fmt !== 0 && !prev) throw new ChunkError(`chunk stream ${csid} starts with a fmt ${fmt} header`);
    let field = 0;
    let length = prev?.length ?? 0;
    let typeId = prev?.typeId ?? 0;
    let streamId = prev?.streamId ?? 0;
    if (fmt <= 2) field = u24(buf, pos);
    if (fmt <= 1) {
      length = u24(buf, pos + 3);
      typeId = buf[pos + 6] as number;
    }
    if (fmt === 0) streamId = u32le(buf, pos + 7);
    pos += headerLength;
    const extended = fmt <= 2 ? field === 0xffffff : (prev?.extended ?? false);
    if (extended) {
      if (buf.length - pos < 4) return 0;
      const ext = u32(buf, pos);
      pos += 4;
      if (fmt <= 2) field = ext;
    }
    const continuing = fmt === 3 && prev?.partial != null;
    if (prev?.partial && !continuing) throw new ChunkError(`chunk stream ${csid}: new header in the middle of a message`);
    if (!continuing && length > this.maxMessage) {
      throw new ChunkError(`message of ${length} bytes exceeds the ${this.maxMessage}-byte limit`);
    }
    const received = continuing ? (prev?.received ?? 0) : 0;
    const take = Math.min(this.chunkSize, length - received);
    if (buf.length - pos < take) return 0;

    // The whole chunk is here: commit the header.
    const state: ChunkStreamState = prev ?? {
      timestamp: 0,
      delta: 0,
      length: 0,
      typeId: 0,
      streamId: 0,
      extended: false,
      partial: null,
      received: 0,
    };
    state.length = length;
    state.typeId = typeId;
    state.streamId = streamId;
    state.extended = extended;
    if (!continuing) {
      if (fmt === 0) {
        state.timestamp = field;
        state.delta = field;
      } else if (fmt === 1 || fmt === 2) {
        state.delta = field;
        state.timestamp = (state.timestamp + field) >>> 0;
      } else {
        state.timestamp = (state.timestamp + state.delta) >>> 0;
      }
      if (this.assembling + length > 2 * this.maxMessage) {
        throw new ChunkError("too many large messages in progress at once");
      }
      this.assembling += length;
      state.partial = new Uint8Array(length);
      state.received = 0;
    }
    this.streams.set(csid, state);
    const partial = state.partial as Uint8Array;
    partial.set(buf.subarray(pos, pos + take), state.received);
    state.received += take;
    pos += take;
    if (state.received === state.length) {
      state.partial = null;
      this.assembling -= state.length;
      const msg: RtmpMessage = {
        chunkStreamId: csid,
        typeId: state.typeId,
        streamId: state.streamId,
        timestamp: state.timestamp,
        payload: partial,
      };
      this.control(msg);
      out.push(msg);
    }
    return pos - start;
  }

  /** Set Chunk Size and Abort apply to the chunks that follow them. */
  private control(msg: RtmpMessage): void {
    if (msg.streamId !== 0 || msg.payload.length < 4) return;
    if (msg.typeId === 1) {
      const size = u32(msg.payload, 0) & 0x7fffffff; // "The first bit of the data MUST be zero" (§5.4.1)
      if (size < 1 || size > MAX_CHUNK_SIZE) throw new ChunkError(`bad chunk size ${size}`);
      this.chunkSize = size;
    } else if (msg.typeId === 2) {
      const s = this.streams.get(u32(msg.payload, 0));
      if (s?.partial) {
        this.assembling -= s.partial.length;
        s.partial = null;
      }
    }
  }
}

function u24(b: Uint8Array, p: number): number {
  return ((b[p] as number) << 16) | ((b[p + 1] as number) << 8) | (b[p + 2] as number);
}

function u32(b: Uint8Array, p: number): number {
  return (((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number)) >>> 0;
}

function u32le(b: Uint8Array, p: number): number {
  return ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24)) >>> 0;
}
