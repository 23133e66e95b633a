/**
 * Plays a WebSocket-FLV live stream in a <video> with mpegts.js (Media Source Extensions: the FLV tags
 * are remuxed to fragmented MP4 in the page) and reports its state: connecting until the first frame,
 * live while frames play, buffering while the element waits for data, ended when the worker closed the
 * stream because the publisher stopped, lost when it closed it because the stream's source (the RTMP
 * origin) went away or the connection broke (the close code, read by flv-socket-loader.ts and told
 * apart by stream-end.ts), error when the stream cannot be opened or decoded. Loaded only by the watch page, never in the first load.
 */
import mpegts from "mpegts.js";
import { flvSocketLoader } from "./flv-socket-loader";
import { type StreamEnd, streamEnd } from "./stream-end";

// mpegts.js logs its own errors to the console; the page reports them as its state instead.
mpegts.LoggingControl.applyConfig({ enableAll: false });

export type WatchState = "connecting" | "live" | "buffering" | StreamEnd | "error";

export interface WatchPlayer {
  destroy(): void;
  /** Starts playback after a user gesture, when autoplay was refused. */
  play(): Promise<void>;
  /**
   * Seconds between the frame on screen and the newest frame received (the end of the video's
   * buffer), or null before anything is buffered: how far behind the live edge this viewer plays.
   */
  latency(): number | null;
}

/** The live edge minus the playhead (HTMLMediaElement.buffered / currentTime), null when unbuffered. */
export function bufferLatency(video: Pick<HTMLVideoElement, "buffered" | "currentTime">): number | null {
  const ranges = video.buffered;
  if (ranges.length === 0) return null;
  return Math.max(0, ranges.end(ranges.length - 1) - video.currentTime);
}

export function canPlayLive(): boolean {
  return mpegts.isSupported() && mpegts.getFeatureList().mseLivePlayback;
}

export function startPlayer(
  video: HTMLVideoElement,
  url: string,
  onState: (state: WatchState, detail?: string) => void,
  onNeedsGesture: () => void,
): WatchPlayer {
  let state: WatchState = "connecting";
  const set = (next: WatchState, detail?: string) => {
    if (state === "ended" || state === "lost" || state === "error") return;
    state = next;
    onState(next, detail);
  };
  /** How the worker closed the stream's WebSocket; "ended" until it says otherwise. */
  let end: StreamEnd = "ended";
  const player = mpegts.createPlayer(
    { type: "flv", isLive: true, url },
    {
      enableStashBuffer: false,
      liveBufferLatencyChasing: true,
      lazyLoad: false,
      customLoader: flvSocketLoader((code) => {
        end = streamEnd(code);
      }),
    },
  );
  player.on(mpegts.Events.ERROR, (type: string, detail: string) => set("error", `${type}: ${detail}`));
  player.on(mpegts.Events.LOADING_COMPLETE, () => set(end));
  const onPlaying = () => set("live");
  const onWaiting = () => {
    if (state === "live") set("buffering");
  };
  video.addEventListener("playing", onPlaying);
  video.addEventListener("waiting", onWaiting);
  player.attachMediaElement(video);
  player.load();
  const play = async () => {
    await video.play();
  };
  play().catch(() => onNeedsGesture());
  return {
    destroy: () => {
      video.removeEventListener("playing", onPlaying);
      video.removeEventListener("waiting", onWaiting);
      player.destroy();
    },
    play,
    latency: () => bufferLatency(video),
  };
}
