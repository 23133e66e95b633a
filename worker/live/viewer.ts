/**
 * One viewer of a live stream and the rule that keeps a slow one from growing memory: every viewer
 * gets every tag while its connection keeps up; once more than `HIGH_WATER` bytes wait unsent on it, it
 * skips ahead (receives nothing but configuration tags until its backlog is under `LOW_WATER` and the
 * next video keyframe arrives, where it resumes), and it is dropped when it stays behind for
 * `MAX_LAG_MS` or its backlog passes `HARD_CAP` anyway. A viewer that joined before the first keyframe
 * waits for one the same way. Pure: the sink says how many bytes it holds (WebSocket bufferedAmount,
 * or the HTTP body's queue) and does the sending.
 */
import type { Tag } from "./gop-cache";

export const HIGH_WATER = 2 * 1024 * 1024;
export const LOW_WATER = 256 * 1024;
export const HARD_CAP = 12 * 1024 * 1024;
export const MAX_LAG_MS = 10_000;

export interface ViewerSink {
  readonly kind: "websocket" | "http";
  send(bytes: Uint8Array): void;
  /** Bytes accepted by `send` that have not reached the network yet. */
  buffered(): number;
  /** Ends the viewer's connection (WebSocket close code + reason; the HTTP body just ends). */
  close(code: number, reason: string): void;
}

export type ViewerState = "live" | "waiting-key";

export class Viewer {
  state: ViewerState = "waiting-key";
  /** When it last fell behind (skipping), or null while it keeps up. */
  behindSince: number | null = null;
  closed = false;

  constructor(
    readonly sink: ViewerSink,
    readonly client: string,
  ) {}

  /** Sends the start bytes (header, configuration, cached group of pictures). */
  start(frames: Uint8Array[], hasKeyframe: boolean): void {
    for (const f of frames) this.sink.send(f);
    this.state = hasKeyframe ? "live" : "waiting-key";
  }

  /**
   * Offers the tags of one read from the origin, `bytes` being all of them in a row: a viewer that
   * keeps up gets them as one send (one WebSocket message: the fan-out's cost is per send, not per
   * byte); one that is behind or waiting for a keyframe takes them tag by tag (`offer`).
   */
  offerAll(tags: readonly Tag[], bytes: Uint8Array, now: number): "ok" | "drop" {
    if (this.closed) return "ok";
    if (this.state === "live") {
      const backlog = this.sink.buffered();
      if (backlog > HARD_CAP) return "drop";
      if (backlog <= HIGH_WATER) {
        this.sink.send(bytes);
        return "ok";
      }
    }
    for (const tag of tags) if (this.offer(tag, now) === "drop") return "drop";
    return "ok";
  }

  /**
   * Offers one tag. Returns "drop" when the viewer must be disconnected as too slow, else "ok".
   */
  offer(tag: Tag, now: number): "ok" | "drop" {
    if (this.closed) return "ok";
    const backlog = this.sink.buffered();
    if (backlog > HARD_CAP) return "drop";
    const config = tag.role === "video-config" || tag.role === "audio-config" || tag.role === "metadata";
    if (this.state === "live" && backlog > HIGH_WATER) {
      this.state = "waiting-key";
      this.behindSince = now;
    }
    if (this.behindSince !== null && now - this.behindSince > MAX_LAG_MS) return "drop";
    if (this.state === "waiting-key") {
      const canResume = tag.role === "keyframe" && (this.behindSince === null || backlog <= LOW_WATER);
      if (canResume) {
        this.state = "live";
        this.behindSince = null;
      } else {
        if (config) this.sink.send(tag.bytes);
        return "ok";
      }
    }
    this.sink.send(tag.bytes);
    return "ok";
  }
}
