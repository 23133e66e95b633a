/**
 * The real media clients of the RTMPT end-to-end tests (ffmpeg, ffprobe, rtmpdump from Debian), run as
 * child processes with a deadline and the tail of their output kept.
 */
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { waitFor } from "./process";

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when our deadline killed it (the tool did not end by itself). */
  timedOut: boolean;
  output: string;
}

export interface Running {
  done: Promise<Run>;
  /** SIGKILL. */
  stop: () => void;
  /** SIGINT (ffmpeg then finishes its output file). */
  interrupt: () => void;
  /** SIGSTOP / SIGCONT: the process freezes (sends nothing, holds its connections) and goes on. */
  pause: () => void;
  resume: () => void;
}

/** Runs a tool to its end, killing it after `timeoutMs` (reported as `timedOut`). */
export function run(cmd: string, args: string[], timeoutMs: number): Running {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const done = new Promise<Run>((resolve) => {
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, output });
    });
  });
  return {
    done,
    stop: () => child.kill("SIGKILL"),
    interrupt: () => child.kill("SIGINT"),
    pause: () => child.kill("SIGSTOP"),
    resume: () => child.kill("SIGCONT"),
  };
}

/**
 * ffmpeg publishing a real-time test stream (H.264 320x240 25 fps with a keyframe every second, so late
 * joiners start at once, and AAC) for `seconds` to `url` (rtmp:// or rtmpt://).
 */
export function publish(url: string, seconds: number, timeoutMs = (seconds + 60) * 1000): Running {
  return run(
    "ffmpeg",
    [
      "-hide_banner",
      "-nostdin",
      "-re",
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=320x240:rate=25",
      "-f",
      "lavfi",
      "-i",
      "sine",
      "-t",
      String(seconds),
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-g",
      "25",
      "-c:a",
      "aac",
      "-f",
      "flv",
      url,
    ],
    timeoutMs,
  );
}

/** Codec names ffprobe finds in a file or stream URL, sorted (e.g. ["aac", "h264"]); [] if none. */
export async function codecs(input: string, timeoutMs = 45_000): Promise<string[]> {
  const r = await run(
    "ffprobe",
    ["-v", "error", "-rw_timeout", "20000000", "-show_entries", "stream=codec_name", "-of", "csv=p=0", input],
    timeoutMs,
  ).done;
  return r.output
    .split(/\s+/)
    .map((s) => s.replace(/,+$/, ""))
    .filter((s) => /^[a-z0-9_]+$/.test(s))
    .sort();
}

/**
 * Seconds of video actually recorded in a file: its H.264 packets / 25 fps (the test source's rate).
 * Not the container's duration, which for a live recording is the publisher's onMetaData value.
 */
export async function videoSeconds(file: string): Promise<number> {
  const r = await run(
    "ffprobe",
    ["-v", "error", "-select_streams", "v", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", file],
    30_000,
  ).done;
  return (Number.parseInt(r.output.trim(), 10) || 0) / 25;
}

/** Waits until ffprobe finds audio and video at `url` (e.g. the stream at nginx); returns the codec names. */
export async function waitForStream(url: string, timeoutMs = 45_000): Promise<string[]> {
  let seen: string[] = [];
  await waitFor(
    `stream visible at ${url}`,
    async () => {
      seen = await codecs(url);
      return seen.length === 2;
    },
    timeoutMs,
  );
  return seen;
}

/**
 * rtmpdump plays the live stream at `url` into `file` until it has written `minBytes` (it does not end a
 * live playback by itself), then is stopped. Returns the bytes written and rtmpdump's output tail.
 */
export async function dumpLive(
  url: string,
  file: string,
  minBytes = 150_000,
  timeoutMs = 45_000,
): Promise<{ bytes: number; output: string }> {
  const play = run("rtmpdump", ["-r", url, "--live", "-m", "30", "-o", file], timeoutMs + 15_000);
  const written = () => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  try {
    await waitFor("rtmpdump writing the stream", async () => written() > minBytes, timeoutMs);
  } finally {
    play.stop();
  }
  const played = await play.done;
  return { bytes: written(), output: played.output };
}
