/**
 * The real media clients of the RTMPT end-to-end tests (ffmpeg, ffprobe, rtmpdump from Debian), run as
 * child processes with a deadline and the tail of their output kept.
 */
import { spawn } from "node:child_process";

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
  return { done, stop: () => child.kill("SIGKILL"), interrupt: () => child.kill("SIGINT") };
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
