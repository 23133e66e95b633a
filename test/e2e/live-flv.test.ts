/**
 * Live playback end to end, real peers on 127.0.0.1: ffmpeg publishes a test pattern (H.264 with a
 * keyframe every 25 frames + AAC) straight to nginx-rtmp; `wrangler dev` runs the worker with that nginx as
 * its rtmp:// origin; viewers open `/live/live/<stream>.flv` as WebSocket-FLV (Node's WebSocket) and
 * HTTP-FLV (fetch). What they receive is checked with ffprobe/ffmpeg, and nginx's stat page
 * (`rtmp_stat all`) shows how many play connections the worker holds at the origin.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isAudioConfig,
  isKeyframe,
  isVideoConfig,
  parseFlv,
  stalledWebSocket,
  type Viewer,
  watchHttp,
  watchWebSocket,
} from "../support/flv-viewer";
import { codecs, publish, type Running, run } from "../support/media";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { tempDir, waitFor } from "../support/process";
import { watchLogRecords } from "../support/worker-log";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";

const VIEWERS = 50;

describe("live playback: nginx-rtmp → worker (one Durable Object per stream) → FLV viewers", () => {
  let nginx: NginxRtmp;
  let worker: WorkerServer;
  const dir = tempDir("live-flv");
  const publishers: Running[] = [];

  const ws = (stream: string) => `ws://127.0.0.1:${worker.port}/live/live/${stream}.flv`;
  const http = (stream: string) => `${worker.url}/live/live/${stream}.flv`;
  const published = (name: string) => () => Promise.resolve(nginx.errorLog().includes(`publish: name='${name}'`));
  const startPublisher = async (name: string, seconds: number) => {
    const p = publish(`${nginx.origin}/live/${name}`, seconds);
    publishers.push(p);
    await waitFor(`ffmpeg publishing ${name}`, published(name), 30_000);
    return p;
  };
  const received = (v: Viewer, bytes: number) => waitFor("viewer receives FLV", async () => v.bytes().length > bytes, 30_000);

  beforeAll(async () => {
    nginx = await startNginxRtmp({ stat: true });
    // A short origin timeout, so that the wait for a publisher below outlasts the play setup timeout.
    worker = await startWorker({
      RTMPT_ORIGINS: nginx.origin,
      LIVE_VIEWERS_PER_CLIENT: String(VIEWERS),
      RTMPT_ORIGIN_TIMEOUT_MS: "3000",
    });
  });
  afterAll(async () => {
    for (const p of publishers) p.stop();
    await worker?.stop();
    await nginx?.stop();
  });

  it("a WebSocket viewer receives FLV that ffprobe reads as H.264 + AAC and ffmpeg decodes", async () => {
    await startPublisher("a", 60);
    const viewer = await watchWebSocket(ws("a"));
    await received(viewer, 250_000);
    viewer.close();
    const file = join(dir, "a.flv");
    writeFileSync(file, viewer.bytes());
    expect(await codecs(file)).toEqual(["aac", "h264"]);
    const decoded = await run("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-i", file, "-f", "null", "-"], 60_000).done;
    expect(decoded.code, decoded.output.slice(-2000)).toBe(0);
    expect(decoded.output.trim(), "ffmpeg decodes without errors").toBe("");
    const flv = parseFlv(viewer.bytes());
    expect(flv.header.subarray(0, 5)).toEqual(Buffer.from([0x46, 0x4c, 0x56, 1, 5]));
  });

  it(`${VIEWERS} viewers at once get identical FLV after a common keyframe, over ONE origin play connection`, async () => {
    await startPublisher("b", 60);
    const viewers = await Promise.all(Array.from({ length: VIEWERS }, () => watchWebSocket(ws("b"))));
    await Promise.all(viewers.map((v) => received(v, 200_000)));
    expect(await nginx.playClients("b")).toBe(1);
    // One more connection from this address is over LIVE_VIEWERS_PER_CLIENT.
    const over = await watchHttp(http("b"));
    expect(over.status).toBe(429);
    for (const v of viewers) v.close();
    const parsed = viewers.map((v) => parseFlv(v.bytes()));
    // The last viewer to start: its first keyframe is in everyone's bytes.
    const anchor = Math.max(...parsed.map((p) => p.tags.find(isKeyframe)?.timestamp ?? Number.POSITIVE_INFINITY));
    const last = Math.min(...parsed.map((p) => p.tags.at(-1)?.timestamp ?? 0));
    expect(last - anchor, "a common window of at least 2 s").toBeGreaterThan(2000);
    const windowOf = (p: (typeof parsed)[number]) => {
      const from = p.tags.findIndex((t) => isKeyframe(t) && t.timestamp === anchor);
      expect(from).toBeGreaterThanOrEqual(0);
      return Buffer.concat(
        p.tags
          .slice(from)
          .filter((t) => t.timestamp <= last - 200)
          .map((t) => t.raw),
      );
    };
    const reference = windowOf(parsed[0] as (typeof parsed)[number]);
    expect(reference.length).toBeGreaterThan(50_000);
    for (const [i, p] of parsed.entries()) expect(windowOf(p).equals(reference), `viewer ${i}`).toBe(true);
  });

  it("a viewer joining mid-stream starts with the FLV header, metadata, sequence headers and a keyframe", async () => {
    await startPublisher("c", 60);
    const first = await watchWebSocket(ws("c"));
    await received(first, 100_000);
    await new Promise((r) => setTimeout(r, 1500));
    const opened = Date.now();
    const late = await watchWebSocket(ws("c"));
    await waitFor("late viewer gets its start", async () => parseFlv(late.bytes()).tags.some(isKeyframe), 10_000);
    const startedIn = Date.now() - opened;
    first.close();
    late.close();
    const { header, tags } = parseFlv(late.bytes());
    expect(header.length).toBe(13);
    expect(tags[0]?.type, "onMetaData first").toBe(18);
    expect(tags[0]?.body.subarray(3, 13).toString("latin1")).toBe("onMetaData");
    const media = tags.filter((t) => t.type !== 18);
    expect(isVideoConfig(media[0] as (typeof media)[number]), "AVC sequence header").toBe(true);
    expect(isAudioConfig(media[1] as (typeof media)[number]), "AAC sequence header").toBe(true);
    expect(isKeyframe(media[2] as (typeof media)[number]), "then a keyframe before any other frame").toBe(true);
    expect(media[2]?.timestamp, "mid-stream, not the stream's start").toBeGreaterThan(1000);
    // The cached group of pictures arrives at once, not a keyframe interval later.
    expect(startedIn).toBeLessThan(900);
  });

  it("HTTP-FLV: the streamed body is FLV ffprobe reads; the publisher stopping ends every viewer cleanly", async () => {
    const publisher = await startPublisher("d", 120);
    const sockets = await Promise.all([1, 2, 3].map(() => watchWebSocket(ws("d"))));
    const got = await watchHttp(http("d"));
    expect(got.status).toBe(200);
    const body = got.viewer as Viewer;
    await Promise.all([...sockets, body].map((v) => received(v, 150_000)));
    const file = join(dir, "d-http.flv");
    writeFileSync(file, body.bytes());
    expect(await codecs(file)).toEqual(["aac", "h264"]);
    const stopped = Date.now();
    publisher.interrupt();
    const ends = await Promise.all([...sockets, body].map((v) => v.ended));
    expect(Date.now() - stopped).toBeLessThan(10_000);
    for (const e of ends.slice(0, 3)) expect(e).toEqual({ code: 1000, reason: "Stream ended: the publisher stopped" });
    expect(ends[3]).toEqual({ code: 0, reason: "body ended" });
    await waitFor("the origin play connection closes", async () => (await nginx.playClients("d")) === 0, 10_000);
  });

  it("the origin connection outlives the last viewer (WebSocket and HTTP-FLV) by the grace period, then closes", async () => {
    await startPublisher("f", 60);
    const viewer = await watchWebSocket(ws("f"));
    const got = await watchHttp(http("f"));
    const body = got.viewer as Viewer;
    await Promise.all([received(viewer, 50_000), received(body, 50_000)]);
    expect(await nginx.playClients("f")).toBe(1);
    // Both leave: the WebSocket closes, the HTTP-FLV request is aborted (its body cancelled).
    viewer.close();
    body.close();
    const left = Date.now();
    await new Promise((r) => setTimeout(r, 2500));
    expect(await nginx.playClients("f"), "still held during the grace period").toBe(1);
    await waitFor("origin connection closed", async () => (await nginx.playClients("f")) === 0, 10_000);
    const closedAfter = Date.now() - left;
    expect(closedAfter).toBeGreaterThan(4000);
    expect(closedAfter).toBeLessThan(9000);
  });

  it("a viewer that stops reading is skipped ahead and then dropped; the others keep playing", async () => {
    const log = watchLogRecords(worker.proc.child);
    // ~25 Mbit/s (Sorenson H.263 of a noisy picture, a keyframe every 25 frames): fills buffers fast.
    const p = run(
      "ffmpeg",
      [
        "-hide_banner",
        "-nostdin",
        "-re",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=25",
        "-vf",
        "noise=alls=60:allf=t",
      ].concat(["-t", "90", "-c:v", "flv1", "-q:v", "2", "-g", "25", "-an", "-f", "flv", `${nginx.origin}/live/slow`]),
      150_000,
    );
    publishers.push(p);
    await waitFor("ffmpeg publishing slow", published("slow"), 30_000);
    const stalled = await stalledWebSocket(worker.port, "/live/live/slow.flv");
    const healthy = await watchWebSocket(ws("slow"));
    try {
      await waitFor("the stalled viewer is dropped", async () => log.records("live_viewer_dropped").length > 0, 45_000);
      console.info("dropped:", JSON.stringify(log.records("live_viewer_dropped")[0]));
      const before = healthy.bytes().length;
      await waitFor("the healthy viewer keeps receiving", async () => healthy.bytes().length > before + 1_000_000, 10_000);
      expect(healthy.end()).toBeNull();
    } finally {
      stalled.destroy();
      healthy.close();
      p.stop();
    }
  });

  it("a viewer of a stream not yet on air waits for it and starts when the publisher does", async () => {
    const viewer = await watchWebSocket(ws("later"));
    await new Promise((r) => setTimeout(r, 5000));
    expect(viewer.end(), "still open after the origin timeout").toBeNull();
    expect(viewer.bytes().subarray(0, 3).toString("latin1")).toBe("FLV");
    await startPublisher("later", 30);
    await waitFor("the first keyframe", async () => parseFlv(viewer.bytes()).tags.some(isKeyframe), 20_000);
    viewer.close();
  });

  it("refuses bad stream and app names with 400 and other methods with 405", async () => {
    for (const path of [
      "/live/live/bad.name.flv",
      "/live/live/a%20b.flv",
      `/live/live/${"x".repeat(65)}.flv`,
      "/live/a/b/c.flv",
      "/live/live.flv",
    ]) {
      const res = await fetch(`${worker.url}${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toMatch(/^Bad /);
    }
    const post = await fetch(http("x"), { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("nginx-rtmp killed mid-stream: every viewer is closed at once, nothing hangs", async () => {
    await startPublisher("e", 120);
    const sockets = await Promise.all([1, 2].map(() => watchWebSocket(ws("e"))));
    const got = await watchHttp(http("e"));
    const body = got.viewer as Viewer;
    await Promise.all([...sockets, body].map((v) => received(v, 100_000)));
    const killed = Date.now();
    await nginx.kill();
    const ends = await Promise.all([...sockets, body].map((v) => v.ended));
    expect(Date.now() - killed).toBeLessThan(10_000);
    for (const e of ends.slice(0, 2)) expect(e).toEqual({ code: 1011, reason: "Stream origin lost: origin_closed" });
    expect(ends[2]?.code).toBe(0);
    // A new viewer now finds no origin: 502, not a hang.
    const again = await watchHttp(http("e"));
    expect(again.status).toBe(502);
  });
});
