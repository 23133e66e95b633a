/**
 * FLV muxing (Adobe "Video File Format Specification" version 10, video_file_format_spec_v10.pdf,
 * Annex E): the file header (E.2: "FLV", version 1, audio/video flags, header size 9) and
 * PreviousTagSize0, then one tag per RTMP audio (8), video (9) or script data (18) message (E.4.1:
 * TagType, DataSize UI24, Timestamp UI24 + TimestampExtended UI8, StreamID 0, the message payload as it
 * came, PreviousTagSize UI32 = 11 + DataSize). An RTMP message's payload is exactly an FLV tag's body
 * (E.4.2 AUDIODATA, E.4.3 VIDEODATA, E.4.4 SCRIPTDATA), so nothing is re-encoded.
 *
 * Also what a player must know about a tag to start or skip: a video keyframe (E.4.3.1 FrameType 1),
 * an AVC/HEVC or AAC sequence header (AVCPacketType / AACPacketType 0), or the enhanced-RTMP forms of
 * both (veovera enhanced-rtmp v1/v2: IsExHeader bit, PacketType SequenceStart = 0). Pure.
 */
import { type AmfValue, decodeAmf0, encodeAmf0 } from "./amf0";

export const TAG_AUDIO = 8;
export const TAG_VIDEO = 9;
export const TAG_SCRIPT = 18;

/** The 9-byte header + PreviousTagSize0 (13 bytes). */
export function flvHeader(hasAudio: boolean, hasVideo: boolean): Uint8Array {
  const flags = (hasAudio ? 0x04 : 0) | (hasVideo ? 0x01 : 0);
  return Uint8Array.of(0x46, 0x4c, 0x56, 0x01, flags, 0, 0, 0, 9, 0, 0, 0, 0);
}

/** One tag plus its PreviousTagSize. */
export function flvTag(type: number, timestamp: number, body: Uint8Array): Uint8Array {
  const size = body.length;
  if (size > 0xffffff) throw new RangeError("FLV tag body longer than 2^24-1 bytes");
  const out = new Uint8Array(11 + size + 4);
  const ts = timestamp >>> 0;
  out[0] = type;
  out[1] = size >> 16;
  out[2] = (size >> 8) & 0xff;
  out[3] = size & 0xff;
  out[4] = (ts >> 16) & 0xff;
  out[5] = (ts >> 8) & 0xff;
  out[6] = ts & 0xff;
  out[7] = ts >>> 24; // TimestampExtended: the upper 8 bits
  // StreamID (3 bytes) stays 0.
  out.set(body, 11);
  new DataView(out.buffer).setUint32(11 + size, 11 + size);
  return out;
}

export type TagRole = "video-config" | "audio-config" | "keyframe" | "frame" | "audio" | "metadata" | "other";

/** What a tag does for a player joining or skipping: configuration, a keyframe, or neither. */
export function tagRole(type: number, body: Uint8Array): TagRole {
  if (type === TAG_VIDEO) {
    const b0 = body[0] ?? 0;
    const frameType = (b0 >> 4) & 0x07;
    if (b0 & 0x80) {
      // Enhanced RTMP: PacketType in the low 4 bits; 0 = SequenceStart.
      if ((b0 & 0x0f) === 0) return "video-config";
    } else {
      const codec = b0 & 0x0f;
      // AVC (7) and the legacy HEVC id (12) carry AVCPacketType 0 = sequence header.
      if ((codec === 7 || codec === 12) && body[1] === 0) return "video-config";
    }
    return frameType === 1 ? "keyframe" : "frame";
  }
  if (type === TAG_AUDIO) {
    const b0 = body[0] ?? 0;
    const format = b0 >> 4;
    if (format === 10 && body[1] === 0) return "audio-config"; // AAC sequence header
    if (format === 9 && (b0 & 0x0f) === 0) return "audio-config"; // enhanced audio SequenceStart
    return "audio";
  }
  if (type === TAG_SCRIPT) return "metadata";
  return "other";
}

/**
 * The body of a script data tag from an RTMP data message: `@setDataFrame` (what a publisher sends,
 * which nginx-rtmp normally strips before relaying) is removed, so the tag reads `onMetaData`, value.
 * Null when it is not onMetaData (e.g. `|RtmpSampleAccess`): players have no use for it.
 */
export function metadataBody(payload: Uint8Array): Uint8Array | null {
  let values: AmfValue[];
  try {
    values = decodeAmf0(payload);
  } catch {
    return null;
  }
  if (values[0] === "@setDataFrame") values = values.slice(1);
  if (values[0] !== "onMetaData") return null;
  return encodeAmf0(...values);
}

/**
 * Splits an RTMP aggregate message (type 22, §7.1.6 of the RTMP specification: FLV tags back to back,
 * each with its back pointer) into its sub-messages, their timestamps rebased on the aggregate's own.
 */
export function splitAggregate(timestamp: number, payload: Uint8Array): { type: number; timestamp: number; body: Uint8Array }[] {
  const out: { type: number; timestamp: number; body: Uint8Array }[] = [];
  let pos = 0;
  let first: number | null = null;
  while (pos + 11 <= payload.length) {
    const type = payload[pos] as number;
    const size = ((payload[pos + 1] as number) << 16) | ((payload[pos + 2] as number) << 8) | (payload[pos + 3] as number);
    const ts =
      (((payload[pos + 7] as number) << 24) |
        ((payload[pos + 4] as number) << 16) |
        ((payload[pos + 5] as number) << 8) |
        (payload[pos + 6] as number)) >>>
      0;
    if (pos + 11 + size > payload.length) break;
    first ??= ts;
    out.push({ type, timestamp: (timestamp + ts - first) >>> 0, body: payload.subarray(pos + 11, pos + 11 + size) });
    pos += 11 + size + 4;
  }
  return out;
}
