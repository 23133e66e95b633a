/**
 * The watch page (`/watch/<app>/<stream>`): the stream's name, its state (connecting, live, buffering,
 * broadcast ended, source lost, cannot play) and the video, with a Play button when the browser wants
 * a gesture first and a Watch again button once it is over (after a lost source or a failed open it
 * also tries again by itself, so a stream whose origin comes back plays on; a broadcast the publisher
 * ended is not retried), and the stream's chat room beside the video when this host names
 * one (watch-chat-slot.tsx). The player (mpegts.js) is a chunk of its own, fetched here only.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { APP_NAME } from "../app/version";
import { WatchChatSlot } from "./watch-chat-slot";
import { liveStatusUrl, liveUrl, type WatchTarget } from "./watch-path";
import type { WatchPlayer, WatchState } from "./watch-player";
import "./watch.css";

/** First retry after an end or a failure, and the longest wait between retries. */
const RETRY_MS = 5_000;
const RETRY_MAX_MS = 60_000;

const LABELS: Record<WatchState, string> = {
  connecting: "Connecting…",
  live: "Live",
  buffering: "Buffering…",
  ended: "Broadcast ended",
  lost: "Source lost",
  error: "Cannot play this stream",
};

interface HostAnswer {
  /** Why this host cannot play the stream; null = it can, or it did not say. */
  refusal: string | null;
  /** The stream's group chat room, if this host names one (LIVE_CHAT_ROOM). */
  room: string | null;
}

/**
 * Asks this host whether it can play the stream at all (no RTMP origin: not here) and which chat room
 * goes with it; when it does not say (offline, an older worker) the player tries and reports.
 */
async function askHost(target: WatchTarget): Promise<HostAnswer> {
  try {
    const res = await fetch(liveStatusUrl(target), { cache: "no-store" });
    if (!res.ok) return { refusal: null, room: null };
    const status = (await res.json()) as { playable?: unknown; reason?: unknown; room?: unknown };
    const room = typeof status.room === "string" && status.room ? status.room : null;
    if (status.playable !== false) return { refusal: null, room };
    const refusal =
      typeof status.reason === "string" && status.reason ? status.reason : "Live playback is not available on this host.";
    return { refusal, room };
  } catch {
    return { refusal: null, room: null };
  }
}

export function WatchPage({ target }: { target: WatchTarget }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<WatchState>("connecting");
  const [needsGesture, setNeedsGesture] = useState(false);
  const [run, setRun] = useState(0);
  const [unsupported, setUnsupported] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const player = useRef<WatchPlayer | null>(null);
  const [latency, setLatency] = useState<number | null>(null);
  const [room, setRoom] = useState<string | null>(null);
  /** Attempts that ended or failed in a row since it last played (the next retry waits longer). */
  const [retries, setRetries] = useState(0);

  // What this host says about the stream comes first: the page lays out the video (and the chat,
  // if any) once, so nothing on it moves when the answer arrives.
  const [answered, setAnswered] = useState(false);
  useEffect(() => {
    let cancelled = false;
    setAnswered(false);
    void askHost(target).then(({ refusal: refused, room: chatRoom }) => {
      if (cancelled) return;
      setRoom(chatRoom);
      setRefusal(refused);
      setAnswered(true);
    });
    return () => {
      cancelled = true;
    };
  }, [target]);

  useEffect(() => {
    if (!answered) return;
    let cancelled = false;
    setNeedsGesture(false);
    if (refusal) {
      setState("error");
      return;
    }
    setState("connecting");
    void import("./watch-player").then((m) => {
      if (cancelled || !video.current) return;
      if (!m.canPlayLive()) {
        setUnsupported(true);
        setState("error");
        return;
      }
      player.current = m.startPlayer(video.current, liveUrl(location, target), setState, () => setNeedsGesture(true));
    });
    return () => {
      cancelled = true;
      player.current?.destroy();
      player.current = null;
    };
  }, [target, answered, refusal, run]);

  // How far behind the live edge the picture is, refreshed twice a second while it plays or waits.
  const playing = state === "live" || state === "buffering";
  useEffect(() => {
    if (!playing) {
      setLatency(null);
      return;
    }
    const tick = () => setLatency(player.current?.latency() ?? null);
    tick();
    const timer = setInterval(tick, 500);
    return () => clearInterval(timer);
  }, [playing]);

  useEffect(() => {
    document.title = `${target.stream} · ${APP_NAME}`;
  }, [target]);

  const over = state === "ended" || state === "lost" || state === "error";
  // The source lost or the stream not opened: it tries again by itself, RETRY_MS later, doubling up to
  // RETRY_MAX_MS while it keeps failing; playing resets that. A broadcast that ended is over: only
  // Watch again opens it again.
  const canRetry = (state === "lost" || state === "error") && !refusal && !unsupported;
  useEffect(() => {
    if (!canRetry) return;
    const timer = setTimeout(
      () => {
        setRetries((n) => n + 1);
        setRun((n) => n + 1);
      },
      Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** retries),
    );
    return () => clearTimeout(timer);
  }, [canRetry, retries]);
  useEffect(() => {
    if (state === "live") setRetries(0);
  }, [state]);
  const label = state === "connecting" && retries > 0 ? "Waiting for the stream…" : LABELS[state];

  return (
    <div class={`watch${room ? " watch--chat" : ""}`}>
      <header class="app-bar">
        <h1 class="app-bar__title">{APP_NAME}</h1>
        <p class="watch__name">
          <span class="watch__app">{target.app} / </span>
          <strong>{target.stream}</strong>
        </p>
        <p class={`watch__state watch__state--${state}`} role="status" data-testid="watch-status">
          <span class="watch__dot" aria-hidden="true" />
          {label}
        </p>
        <p
          class={`watch__latency${over ? " watch__latency--over" : ""}`}
          data-testid="watch-latency"
          title="Time behind the newest frame received"
        >
          {playing && latency !== null ? `Latency ${latency.toFixed(1)} s` : ""}
        </p>
      </header>
      <div class="watch__body">
        {answered ? (
          <main class="watch__stage">
            <video ref={video} class="watch__video" controls muted playsInline data-testid="watch-video" />
            {needsGesture && !over ? (
              <button
                type="button"
                class="btn watch__play"
                onClick={() => {
                  setNeedsGesture(false);
                  void player.current?.play().catch(() => setNeedsGesture(true));
                }}
              >
                Play
              </button>
            ) : null}
            {over ? (
              <div class="watch__over">
                <p>
                  {refusal
                    ? refusal
                    : unsupported
                      ? "This browser cannot play live video (no Media Source Extensions)."
                      : state === "ended"
                        ? "The broadcast ended."
                        : state === "lost"
                          ? "Lost the stream's source; retrying…"
                          : "The stream could not be opened."}
                </p>
                {unsupported || refusal ? null : (
                  <button
                    type="button"
                    class="btn"
                    onClick={() => {
                      setRetries(0);
                      setRun((n) => n + 1);
                    }}
                  >
                    Watch again
                  </button>
                )}
              </div>
            ) : null}
          </main>
        ) : null}
        {answered && room ? <WatchChatSlot room={room} /> : null}
      </div>
    </div>
  );
}
