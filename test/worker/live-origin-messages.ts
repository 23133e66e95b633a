// What an RTMP origin sends that the worker's play client only reads, built for the live tests: Set
// Chunk Size (Adobe RTMP specification 1.0 §5.4.1), a protocol control message on chunk stream 2,
// message stream 0, whose 4-byte payload is the new size with its top bit clear.
import { CSID_CONTROL, encodeChunks, MSG } from "../../worker/live/chunk-writer";

/** Set Chunk Size to `size`, itself written in chunks of `chunkSize`. */
export function setChunkSize(size: number, chunkSize: number): Uint8Array {
  const n = size & 0x7fffffff;
  const payload = Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  return encodeChunks({ chunkStreamId: CSID_CONTROL, typeId: MSG.SetChunkSize, streamId: 0, timestamp: 0, payload }, chunkSize);
}
