/**
 * RTMPT gateway mode with every real client's framing, end to end on 127.0.0.1: ffmpeg's RTMP stream
 * (H.264 + AAC) enters the test tunnel (test/support/rtmpt-tunnel.ts), which carries it over RTMPT to
 * `wrangler dev` exactly as HaishinKit 1.9.8 (seq 0 always) and 1.4.2, RootEncoder, Flash and librtmp
 * frame a session (test/support/rtmpt-tunnel-clients.ts cites their sources), into nginx-rtmp, where
 * ffprobe sees the stream; ffmpeg plays it back through the same framing; every reply is one each client
 * accepts; and nginx-rtmp logs each client's connection closed within 5 s of the client ending (with
 * librtmp's close the /close may never arrive: the session must notice the client is gone). Then the
 * real rtmpdump, stopped with SIGINT, must free its play connection within 5 s too.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish, run } from "../support/media";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { tempDir, waitFor } from "../support/process";
import { startRtmptTunnel } from "../support/rtmpt-tunnel";
import type { ClientFraming } from "../support/rtmpt-tunnel-clients";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { carryStream, FREED_WITHIN_MS, nginxConnection } from "./rtmpt-clients-support";

const FRAMINGS: ClientFraming[] = ["haishinkit", "haishinkit-1.4.2", "rootencoder", "flash", "librtmp"];

describe("RTMPT gateway mode: each real client's framing carries a stream to nginx-rtmp and back", () => {
  let nginx: NginxRtmp;
  let worker: WorkerServer;
  const dir = tempDir("rtmpt-clients");

  beforeAll(async () => {
    nginx = await startNginxRtmp();
    worker = await startWorker({ RTMPT_ORIGINS: nginx.origin });
  });
  afterAll(async () => {
    await worker?.stop();
    await nginx?.stop();
  });

  for (const framing of FRAMINGS) {
    it(`${framing}: publishes (nginx sees h264 + aac), plays back, and frees its origin connections within 5 s`, async () => {
      const tunnel = await startRtmptTunnel(worker.port, framing);
      const name = `gw-${framing.replace(/[^a-z0-9]/g, "")}`;
      try {
        const carried = await carryStream(nginx, tunnel, name, dir);
        console.info(
          `${framing}: played ${carried.playedSeconds} s; nginx closed the publisher ${carried.freed[0]} ms and the player ${carried.freed[1]} ms after each client ended`,
        );
        if (framing === "librtmp") {
          // The stream name is free again: a new publisher under the same name is not "already publishing".
          const again = await publish(tunnel.url(`live/${name}`), 2, 60_000).done;
          expect(again.code, again.output.slice(-1500)).toBe(0);
          expect(nginx.errorLog()).not.toContain("already publishing");
          expect(nginx.errorLog().split(`publish: name='${name}'`).length - 1).toBe(2);
        }
      } finally {
        await tunnel.stop();
      }
    }, 90_000);
  }

  it("real rtmpdump stopped with SIGINT frees its origin connection within 5 s", async () => {
    const name = "gw-rtmpdump-sigint";
    const publisher = publish(`${nginx.origin}/live/${name}`, 40);
    const file = join(dir, "rtmpdump-sigint.flv");
    const size = () => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    try {
      await waitFor("publish reaches nginx", async () => nginxConnection(nginx, "publish", name) !== null, 30_000);
      const rtmpdump = run("rtmpdump", ["-r", `rtmpt://127.0.0.1:${worker.port}/live/${name}`, "--live", "-o", file], 60_000);
      await waitFor("rtmpdump receives media", async () => size() > 50_000, 30_000);
      const conn = nginxConnection(nginx, "play", name);
      expect(conn).not.toBeNull();
      rtmpdump.interrupt();
      const stopped = Date.now();
      const r = await rtmpdump.done;
      expect(r.timedOut, r.output.slice(-1500)).toBe(false);
      await waitFor(
        `nginx closes rtmpdump's connection ${conn} within ${FREED_WITHIN_MS} ms`,
        async () => nginx.errorLog().includes(`${conn} disconnect`),
        FREED_WITHIN_MS,
      );
      console.info(`rtmpdump SIGINT: nginx closed its connection ${Date.now() - stopped} ms later (observed)`);
    } finally {
      publisher.stop();
    }
  }, 90_000);
});
