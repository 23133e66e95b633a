/**
 * The watch page (`/watch/<app>/<stream>`): the stream's name, its state (connecting, live, buffering,
 * ended, cannot play) and the video, with a Play button when the browser wants a gesture first and a
 * Watch again button once it ended. The player (mpegts.js) is a chunk of its own, fetched here only.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { APP_NAME } from "../app/version";
import { liveUrl, type WatchTarget } from "./watch-path";
import type { WatchPlayer, WatchState } from "./watch-player";
import "./watch.css";

const LABELS: Record<WatchState, string> = {
  connecting: "Connecting…",
  live: "Live",
  buffering: "Buffering…",
  ended: "Stream ended",
  error: "Cannot play this stream",
};

export function WatchPage({ target }: { target: WatchTarget }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<WatchState>("connecting");
  const [needsGesture, setNeedsGesture] = useState(false);
  const [run, setRun] = useState(0);
  const [unsupported, setUnsupported] = useState(false);
  const player = useRef<WatchPlayer | null>(null);

  useEffect(() => {
    let cancelled = false;
    setState("connecting");
    setNeedsGesture(false);
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
  }, [target, run]);

  useEffect(() => {
    document.title = `${target.stream} · ${APP_NAME}`;
  }, [target]);

  const over = state === "ended" || state === "error";
  return (
    <div class="watch">
      <header class="app-bar">
        <h1 class="app-bar__title">{APP_NAME}</h1>
        <p class="watch__name">
          {target.app} / <strong>{target.stream}</strong>
        </p>
        <p class={`watch__state watch__state--${state}`} role="status" data-testid="watch-status">
          <span class="watch__dot" aria-hidden="true" />
          {LABELS[state]}
        </p>
      </header>
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
              {unsupported
                ? "This browser cannot play live video (no Media Source Extensions)."
                : state === "ended"
                  ? "The stream has ended or is not on air."
                  : "The stream could not be opened."}
            </p>
            {unsupported ? null : (
              <button type="button" class="btn" onClick={() => setRun((n) => n + 1)}>
                Watch again
              </button>
            )}
          </div>
        ) : null}
      </main>
    </div>
  );
}
