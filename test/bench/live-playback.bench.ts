/**
 * Live playback (WebSocket-FLV from one Durable Object per stream) against the same viewers playing
 * straight from nginx-rtmp over RTMP, side by side in one run, on the production bundle in workerd:
 * - added latency: one Porthole viewer and one direct RTMP viewer (rtmpdump, librtmp) watch the same
 *   stream at once; for every video frame, the time it reached the Porthole viewer minus the time it
 *   reached the direct one (p50/p99). This is what Porthole adds to the origin's own path; the
 *   encoder's and the player's buffers are the same on both sides and are left out.
 * - glass to glass: the PWA's watch page in Chromium plays the stream; for every frame it shows
 *   (requestVideoFrameCallback: the frame's media time and when it is displayed), the display time minus
 *   the time the same frame reached the direct RTMP viewer, i.e. left the origin (p50/p99). The
 *   encoder's own delay (x264 zerolatency) and ffmpeg → nginx on 127.0.0.1 are left out.
 * - viewers held: a ladder of viewer counts; a viewer is held when it got at least 90 % of the frames
 *   that a reference viewer (direct RTMP, watching throughout) got in the same window, so a publisher
 *   slowed by a busy machine does not count against either side; CPU per viewer is workerd's for Porthole, nginx's for direct (the
 *   viewer clients' own CPU is left out on both sides).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { waitFor } from "../support/process";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import { profileWhile } from "./cpu-profile";
import { type BenchRow, groupCpuMs, percentile, progress, report, threadsCpuMs } from "./support";

const FPS = 25;
const LATENCY_SECONDS = 15;
const WINDOW_SECONDS = 8;
/** BENCH_LIVE_LADDER="50,100" runs only those rungs. */
const LADDER = (process.env.BENCH_LIVE_LADDER ?? "10,50,100,200").split(",").map(Number);
/** BENCH_PROFILE=1: also a V8 CPU profile of the worker during each Porthole rung (cpu-profile.ts). */
const PROFILE = Boolean(process.env.BENCH_PROFILE);

/** Video frames of an FLV byte stream, each stamped with the time its last byte arrived. */
class FlvFrameClock {
  #buf = Buffer.alloc(0);
  #headerDone = false;
  /** FLV timestamp (ms) → arrival (performance.now() ms), video frames only, first arrival kept. */
  readonly arrivals = new Map<number, number>();
  frames = 0;
  /** Chunks received (WebSocket messages, or reads of rtmpdump's output). */
  chunks = 0;

  push(chunk: Buffer): void {
    this.chunks++;
    const now = performance.now();
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    if (!this.#headerDone) {
      if (this.#buf.length < 13) return;
      this.#buf = this.#buf.subarray(9 + 4); // FLV header + PreviousTagSize0
      this.#headerDone = true;
    }
    while (this.#buf.length >= 11) {
      const size = this.#buf.readUIntBE(1, 3);
      if (this.#buf.length < 11 + size + 4) return;
      const type = this.#buf[0];
      const ts = this.#buf.readUIntBE(4, 3) | ((this.#buf[7] ?? 0) << 24);
      // Video tags that carry a frame (not the AVC sequence header, AVCPacketType 0).
      if (type === 9 && size > 5 && this.#buf[12] !== 0) {
        this.frames++;
        if (!this.arrivals.has(ts)) this.arrivals.set(ts, now);
      }
      this.#buf = this.#buf.subarray(11 + size + 4);
    }
  }
}

interface Watcher {
  clock: FlvFrameClock;
  stop: () => void;
}

/** A refused viewer (over the stream's viewer cap, say) resolves too: it simply gets no frames. */
function watchPorthole(url: string): Promise<Watcher> {
  return new Promise((resolve) => {
    const clock = new FlvFrameClock();
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (e) => {
      if (e.data instanceof ArrayBuffer) clock.push(Buffer.from(e.data));
    });
    ws.addEventListener("open", () => resolve({ clock, stop: () => ws.close(1000, "done") }));
    ws.addEventListener("error", () => resolve({ clock, stop: () => {} }));
  });
}

function watchDirect(url: string): Watcher {
  const clock = new FlvFrameClock();
  // stdbuf -o0: rtmpdump writes through stdio, whose buffer would hold each frame back a while.
  const child: ChildProcess = spawn("stdbuf", ["-o0", "rtmpdump", "-q", "-r", url, "--live", "-o", "-"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  child.stdout?.on("data", (d: Buffer) => clock.push(d));
  return { clock, stop: () => child.kill("SIGKILL") };
}

function publisher(url: string, seconds: number): ChildProcess {
  return spawn(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-nostdin", "-re"],
      ...["-f", "lavfi", "-i", `testsrc=size=640x360:rate=${FPS}`, "-f", "lavfi", "-i", "sine"],
      ...["-t", String(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", String(FPS)],
      ...["-c:a", "aac", "-f", "flv", url],
    ],
    { stdio: "ignore" },
  );
}

describe("live playback: Porthole's WebSocket-FLV vs direct RTMP from nginx-rtmp", () => {
  let nginx: NginxRtmp;
  let workerd: WorkerdServer;
  let pub: ChildProcess | undefined;
  const rows: BenchRow[] = [];

  beforeAll(async () => {
    progress("live-playback: nginx-rtmp, the worker bundle in workerd, one ffmpeg publisher");
    nginx = await startNginxRtmp();
    workerd = await startWorkerd(
      bundleWorker(),
      { RTMPT_ORIGINS: nginx.origin, XMPP_WEBSOCKET_URL: "", LIVE_VIEWERS_PER_CLIENT: "1000" },
      { quiet: true, inspector: PROFILE },
    );
    // Longer than the whole run (it is stopped at the end): every rung watches a live stream.
    pub = publisher(`${nginx.origin}/live/bench`, 1800);
    await waitFor("ffmpeg publishing", async () => nginx.errorLog().includes("publish: name='bench'"), 30_000);
  }, 120_000);

  afterAll(async () => {
    pub?.kill("SIGKILL");
    await workerd?.stop();
    await nginx?.stop();
  });

  const portholeUrl = () => `${workerd.url.replace(/^http/, "ws")}/live/live/bench.flv`;
  const directUrl = () => `${nginx.origin}/live/bench`;

  it("added latency per frame, Porthole viewer minus direct viewer of the same stream", async () => {
    progress(`live-playback: latency, one viewer each way for ${LATENCY_SECONDS} s`);
    const porthole = await watchPorthole(portholeUrl());
    const direct = watchDirect(directUrl());
    await new Promise((r) => setTimeout(r, LATENCY_SECONDS * 1000));
    porthole.stop();
    direct.stop();
    const added: number[] = [];
    for (const [ts, at] of porthole.clock.arrivals) {
      const base = direct.clock.arrivals.get(ts);
      if (base !== undefined) added.push(at - base);
    }
    // The first second holds the GOP cache's burst to a new viewer (frames older than it joined).
    const settled = added.slice(FPS);
    expect(settled.length, "frames seen by both viewers").toBeGreaterThan(FPS * (LATENCY_SECONDS - 5));
    rows.push(
      { metric: "added latency per frame, p50", porthole: percentile(settled, 50), unit: "ms", target: "informative" },
      { metric: "added latency per frame, p99", porthole: percentile(settled, 99), unit: "ms" },
    );
  }, 120_000);

  it("glass to glass: the watch page's displayed frames vs the same frames leaving the origin", async () => {
    progress(`live-playback: glass to glass, the watch page in Chromium for ${LATENCY_SECONDS} s`);
    const direct = watchDirect(directUrl());
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      // The first video keyframe's FLV timestamp the page received: media time 0 of its video, or not.
      await page.addInitScript(() => {
        const w = window as unknown as { firstKeyTs?: number };
        const Native = WebSocket;
        let buf = new Uint8Array(0);
        let pos = 13;
        window.WebSocket = class extends Native {
          constructor(url: string | URL, protocols?: string | string[]) {
            super(url, protocols);
            this.addEventListener("message", (e: MessageEvent) => {
              if (w.firstKeyTs !== undefined || !(e.data instanceof ArrayBuffer)) return;
              const b = new Uint8Array(e.data);
              const all = new Uint8Array(buf.length + b.length);
              all.set(buf);
              all.set(b, buf.length);
              buf = all;
              while (pos + 13 <= buf.length) {
                const size = ((buf[pos + 1] ?? 0) << 16) | ((buf[pos + 2] ?? 0) << 8) | (buf[pos + 3] ?? 0);
                if (pos + 15 + size > buf.length) return;
                const ts =
                  (((buf[pos + 4] ?? 0) << 16) |
                    ((buf[pos + 5] ?? 0) << 8) |
                    (buf[pos + 6] ?? 0) |
                    ((buf[pos + 7] ?? 0) << 24)) >>>
                  0;
                if (buf[pos] === 9 && (buf[pos + 11] ?? 0) >> 4 === 1 && buf[pos + 12] === 1) {
                  w.firstKeyTs = ts;
                  return;
                }
                pos += 15 + size;
              }
            });
          }
        };
      });
      await page.goto(`${workerd.url}/watch/live/bench`);
      await waitFor(
        "the watch page playing",
        async () => (await page.getByTestId("watch-status").textContent())?.trim() === "Live",
        30_000,
      );
      const shown = await page.evaluate(
        (seconds) =>
          new Promise<[number, number][]>((resolve) => {
            const v = document.querySelector("video") as HTMLVideoElement;
            const out: [number, number][] = [];
            const end = performance.now() + seconds * 1000;
            const onFrame = (now: number, meta: VideoFrameCallbackMetadata) => {
              out.push([meta.mediaTime, performance.timeOrigin + meta.expectedDisplayTime]);
              if (now < end) v.requestVideoFrameCallback(onFrame);
              else resolve(out);
            };
            v.requestVideoFrameCallback(onFrame);
          }),
        LATENCY_SECONDS,
      );
      const keyTs = await page.evaluate(() => (window as unknown as { firstKeyTs?: number }).firstKeyTs ?? 0);
      // mpegts.js keeps the FLV timestamps as media time, or starts its timeline at the first frame.
      const first = (shown[0]?.[0] ?? 0) * 1000;
      const base = Math.abs(first - keyTs) < 2000 ? 0 : keyTs;
      // The origin's frame nearest each shown frame's timestamp (media time is in seconds, rounded).
      const sent = [...direct.clock.arrivals.keys()].sort((a, b) => a - b);
      const nearest = (ts: number) => {
        let lo = 0;
        let hi = sent.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((sent[mid] ?? 0) < ts) lo = mid + 1;
          else hi = mid;
        }
        const near = [sent[lo - 1], sent[lo]].filter((t): t is number => t !== undefined);
        const best = near.sort((a, b) => Math.abs(a - ts) - Math.abs(b - ts))[0];
        return best !== undefined && Math.abs(best - ts) <= 500 / FPS ? best : undefined;
      };
      const glass: number[] = [];
      for (const [mediaTime, displayed] of shown) {
        const ts = nearest(mediaTime * 1000 + base);
        const left = ts === undefined ? undefined : direct.clock.arrivals.get(ts);
        if (left !== undefined) glass.push(displayed - (performance.timeOrigin + left));
      }
      progress(
        `live-playback: glass to glass p50 ${percentile(glass, 50).toFixed(0)} ms, p99 ${percentile(glass, 99).toFixed(0)} ms, min ${Math.min(...glass).toFixed(0)} ms; ${glass.length} of ${shown.length} frames matched (first media time ${first.toFixed(0)} ms, first keyframe ${keyTs} ms)`,
      );
      expect(glass.length, "displayed frames matched to the origin's").toBeGreaterThan(FPS * (LATENCY_SECONDS - 5));
      rows.push(
        { metric: "glass to glass (origin → displayed in the watch page), p50", porthole: percentile(glass, 50), unit: "ms" },
        { metric: "glass to glass (origin → displayed in the watch page), p99", porthole: percentile(glass, 99), unit: "ms" },
      );
    } finally {
      direct.stop();
      await browser.close();
    }
  }, 120_000);

  it("viewers held per stream, with CPU per viewer, on a ladder", async () => {
    const nginxPgid = nginx.proc.child.pid ?? 0;
    let portholeHeld = 0;
    let directHeld = 0;
    const reference = watchDirect(directUrl());
    const window = async () => {
      const r0 = reference.clock.frames;
      await new Promise((r) => setTimeout(r, WINDOW_SECONDS * 1000));
      return reference.clock.frames - r0;
    };
    for (const n of LADDER) {
      progress(`live-playback: ${n} Porthole viewers, then ${n} direct RTMP viewers, ${WINDOW_SECONDS} s each`);
      // Porthole
      const viewers = await Promise.all(Array.from({ length: n }, () => watchPorthole(portholeUrl())));
      await new Promise((r) => setTimeout(r, 1500)); // past the GOP burst
      const f0 = viewers.map((v) => v.clock.frames);
      const m0 = viewers.reduce((n, v) => n + v.clock.chunks, 0);
      const w0 = workerd.pid ? threadsCpuMs(workerd.pid) : Number.NaN;
      const c0 = process.cpuUsage();
      let pRef = 0;
      if (PROFILE && workerd.inspector) {
        const { busyMs, hot } = await profileWhile(workerd.inspector, "porthole", async () => {
          pRef = await window();
        });
        progress(`live-playback: worker profile at ${n} viewers, busy ${busyMs.toFixed(0)} ms of ${WINDOW_SECONDS * 1000}`);
        for (const h of hot.slice(0, 12))
          progress(`  ${(h.selfShare * 100).toFixed(1)} % self, ${(h.totalShare * 100).toFixed(1)} % total  ${h.fn}`);
      } else pRef = await window();
      const wCpu = (workerd.pid ? threadsCpuMs(workerd.pid) : Number.NaN) - w0;
      const c1 = process.cpuUsage(c0);
      // The viewers' own process (this one, every Porthole viewer's WebSocket): CPU it used per second.
      const clientCpu = (c1.user + c1.system) / 1000 / WINDOW_SECONDS;
      const pGot = viewers.map((v, i) => v.clock.frames - (f0[i] ?? 0));
      const pHeld = pGot.filter((got) => got >= 0.9 * pRef).length;
      const perViewer = (viewers.reduce((k, v) => k + v.clock.chunks, 0) - m0) / n / WINDOW_SECONDS;
      for (const v of viewers) v.stop();
      // Direct
      const direct = Array.from({ length: n }, () => watchDirect(directUrl()));
      await new Promise((r) => setTimeout(r, 1500));
      const d0 = direct.map((v) => v.clock.frames);
      const n0 = groupCpuMs(nginxPgid);
      const dRef = await window();
      const nCpu = groupCpuMs(nginxPgid) - n0;
      const dGot = direct.map((v, i) => v.clock.frames - (d0[i] ?? 0));
      const dHeld = dGot.filter((got) => got >= 0.9 * dRef).length;
      for (const v of direct) v.stop();
      progress(
        `live-playback: ${n} viewers: Porthole held ${pHeld} (frames min ${Math.min(...pGot)} of ${pRef}; workerd ${(wCpu / WINDOW_SECONDS / 10).toFixed(0)} % of a core, viewers' Node process ${(clientCpu / 10).toFixed(0)} %; ${perViewer.toFixed(0)} messages/s per viewer), direct held ${dHeld} (min ${Math.min(...dGot)} of ${dRef})`,
      );
      if (pHeld === n) portholeHeld = n;
      if (dHeld === n) directHeld = n;
      rows.push({
        metric: `CPU per viewer at ${n} viewers`,
        porthole: wCpu / n / WINDOW_SECONDS,
        alternative: nCpu / n / WINDOW_SECONDS,
        ratio: nCpu > 0 ? wCpu / nCpu : undefined,
        unit: "ms CPU/s",
      });
      await new Promise((r) => setTimeout(r, 3000)); // the stream's object lets the last rung go
    }
    reference.stop();
    rows.push({
      metric: `viewers held (ladder ${LADDER.join("/")})`,
      porthole: portholeHeld,
      alternative: directHeld,
      ratio: directHeld ? portholeHeld / directHeld : undefined,
      unit: "viewers",
    });
    report("live-playback", "Live playback: WebSocket-FLV through the worker", "direct RTMP from nginx-rtmp (rtmpdump)", rows, {
      note: "latency = arrival at a Porthole viewer minus arrival at a direct RTMP viewer of the same frame; held = ≥ 90 % of the frames a reference direct viewer got in the same window",
    });
    expect(portholeHeld).toBeGreaterThan(0);
  }, 600_000);
});
