/**
 * RTMP chunk stream, sending side (Adobe RTMP specification 1.0, §5.3): one message as a fmt 0 chunk
 * followed by fmt 3 continuations of at most `chunkSize` payload bytes each, with the extended timestamp
 * (§5.3.1.3) in every chunk when the timestamp needs it. Also the protocol control and user control
 * messages a player sends (§5.4, §6.2, §7.1.7). Pure.
 */

/** Chunk stream ids a player uses: protocol control (§5.4: "chunk stream ID 2"), commands, play. */
export const CSID_CONTROL = 2;
export const CSID_COMMAND = 3;
export const CSID_PLAY = 8;

/** Message type ids (§5.4, §7.1). */
export const MSG = {
  SetChunkSize: 1,
  Abort: 2,
  Acknowledgement: 3,
  UserControl: 4,
  WindowAckSize: 5,
  SetPeerBandwidth: 6,
  Audio: 8,
  Video: 9,
  DataAmf3: 15,
  CommandAmf3: 17,
  DataAmf0: 18,
  CommandAmf0: 20,
  Aggregate: 22,
} as const;

/** User control event types (§7.1.7). */
export const USER_CONTROL = {
  StreamBegin: 0,
  StreamEof: 1,
  StreamDry: 2,
  SetBufferLength: 3,
  StreamIsRecorded: 4,
  PingRequest: 6,
  PingResponse: 7,
} as const;

function basicHeader(fmt: number, csid: number): number[] {
  if (csid < 2 || csid > 65599) throw new RangeError(`chunk stream id ${csid} out of range`);
  if (csid < 64) return [(fmt << 6) | csid];
  if (csid < 320) return [fmt << 6, csid - 64];
  return [(fmt << 6) | 1, (csid - 64) & 0xff, (csid - 64) >> 8];
}

/** One message as chunks of at most `chunkSize` payload bytes. */
export function encodeChunks(
  message: { chunkStreamId: number; typeId: number; streamId: number; timestamp: number; payload: Uint8Array },
  chunkSize: number,
): Uint8Array {
  const { chunkStreamId: csid, typeId, streamId, payload } = message;
  const ts = message.timestamp >>> 0;
  const extended = ts >= 0xffffff;
  const field = extended ? 0xffffff : ts;
  const ext = extended ? [(ts >>> 24) & 0xff, (ts >>> 16) & 0xff, (ts >>> 8) & 0xff, ts & 0xff] : [];
  const len = payload.length;
  if (len > 0xffffff) throw new RangeError("message longer than 2^24-1 bytes");
  const head = [
    ...basicHeader(0, csid),
    (field >> 16) & 0xff,
    (field >> 8) & 0xff,
    field & 0xff,
    (len >> 16) & 0xff,
    (len >> 8) & 0xff,
    len & 0xff,
    typeId,
    streamId & 0xff,
    (streamId >>> 8) & 0xff,
    (streamId >>> 16) & 0xff,
    (streamId >>> 24) & 0xff,
    ...ext,
  ];
  const cont = [...basicHeader(3, csid), ...ext];
  const chunks = Math.max(1, Math.ceil(len / chunkSize));
  const out = new Uint8Array(head.length + len + (chunks - 1) * cont.length);
  out.set(head, 0);
  let o = head.length;
  for (let i = 0; i < chunks; i++) {
    if (i > 0) {
      out.set(cont, o);
      o += cont.length;
    }
    const part = payload.subarray(i * chunkSize, Math.min(len, (i + 1) * chunkSize));
    out.set(part, o);
    o += part.length;
  }
  return out;
}

function u32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function control(typeId: number, payload: Uint8Array): Uint8Array {
  // Protocol control messages use chunk stream 2 and message stream 0 (§5.4); they fit one chunk.
  return encodeChunks({ chunkStreamId: CSID_CONTROL, typeId, streamId: 0, timestamp: 0, payload }, 128);
}

/** Acknowledgement (§5.4.3): the bytes received so far (a sequence number that wraps at 2^32). */
export function acknowledgement(received: number): Uint8Array {
  return control(MSG.Acknowledgement, u32(received >>> 0));
}

export function windowAckSize(size: number): Uint8Array {
  return control(MSG.WindowAckSize, u32(size));
}

/** User control message (§6.2, §7.1.7): event type then its data. */
export function userControl(event: number, ...words: number[]): Uint8Array {
  const payload = new Uint8Array(2 + words.length * 4);
  payload[0] = event >> 8;
  payload[1] = event & 0xff;
  for (const [i, w] of words.entries()) payload.set(u32(w), 2 + i * 4);
  return control(MSG.UserControl, payload);
}
