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
import { isAudioConfig, isKeyframe, isVideoConfig, parseFlv, type Viewer, watchHttp, watchWebSocket } from "../support/flv-viewer";
import { codecs, publish, type Running, run } from "../support/media";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { tempDir, waitFor } from "../support/process";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";

const VIEWERS = 24;

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
    worker = await startWorker({ RTMPT_ORIGINS: nginx.origin, LIVE_VIEWERS_PER_CLIENT: String(VIEWERS) });
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
});
