/**
 * What a new viewer of a live stream needs to start at once: the FLV header, the latest onMetaData,
 * the video and audio sequence headers, and every tag since the last video keyframe (the current group
 * of pictures), so the decoder's first frame is a keyframe and playback begins without waiting for the
 * next one (FLV tags as in flv.ts, video_file_format_spec_v10 Annex E).
 *
 * Bounded: the group of pictures is kept up to `capBytes`; past it the cache drops the group and holds
 * nothing until the next keyframe (new viewers then start at that keyframe). Configuration tags are
 * replaced, never accumulated. Pure.
 */
import { flvHeader, flvTag, TAG_AUDIO, TAG_VIDEO, type TagRole } from "./flv";

export interface Tag {
  type: number;
  timestamp: number;
  role: TagRole;
  body: Uint8Array;
  /** The whole tag as viewers receive it (flvTag of the above). */
  bytes: Uint8Array;
}

export function makeTag(type: number, timestamp: number, body: Uint8Array, role: TagRole): Tag {
  return { type, timestamp, role, body, bytes: flvTag(type, timestamp, body) };
}

export class GopCache {
  private metadata: Tag | null = null;
  private videoConfig: Tag | null = null;
  private audioConfig: Tag | null = null;
  private gop: Tag[] | null = null;
  private gopBytes = 0;
  private sawAudio = false;
  private sawVideo = false;

  constructor(readonly capBytes: number) {}

  /** Bytes held (configuration + group of pictures). */
  get bytes(): number {
    return (
      this.gopBytes +
      (this.metadata?.bytes.length ?? 0) +
      (this.videoConfig?.bytes.length ?? 0) +
      (this.audioConfig?.bytes.length ?? 0)
    );
  }

  get hasKeyframe(): boolean {
    return this.gop !== null;
  }

  add(tag: Tag): void {
    if (tag.type === TAG_AUDIO) this.sawAudio = true;
    if (tag.type === TAG_VIDEO) this.sawVideo = true;
    switch (tag.role) {
      case "metadata":
        this.metadata = tag;
        return;
      case "video-config":
        this.videoConfig = tag;
        return;
      case "audio-config":
        this.audioConfig = tag;
        return;
      case "keyframe":
        this.gop = [tag];
        this.gopBytes = tag.bytes.length;
        break;
      default:
        if (!this.gop) return; // nothing before the first keyframe is of use to a new viewer
        this.gop.push(tag);
        this.gopBytes += tag.bytes.length;
    }
    if (this.gopBytes > this.capBytes) {
      this.gop = null;
      this.gopBytes = 0;
    }
  }

  /**
   * The bytes a new viewer gets first, as separate frames: header, metadata, sequence headers (their
   * timestamps moved to the cached keyframe's, so the decoder sees no jump back), then the cached group.
   */
  start(): Uint8Array[] {
    const unknown = !this.sawAudio && !this.sawVideo;
    const out = [flvHeader(unknown || this.sawAudio, unknown || this.sawVideo)];
    const at = this.gop?.[0]?.timestamp ?? null;
    for (const t of [this.metadata, this.videoConfig, this.audioConfig]) {
      if (!t) continue;
      out.push(at === null || t.role === "metadata" ? t.bytes : flvTag(t.type, at, t.body));
    }
    for (const t of this.gop ?? []) out.push(t.bytes);
    return out;
  }
}
