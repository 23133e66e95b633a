/**
 * RTMPT proxy mode in front of a real RTMPT server that is not test code: Porthole itself in gateway mode.
 * ffmpeg publishes `rtmpt://` to a `wrangler dev` in proxy mode → a second `wrangler dev` in gateway mode
 * (RTMPT terminated in a Durable Object) → nginx-rtmp, where ffprobe sees the stream; rtmpdump plays it
 * back through the same chain. (test/e2e/rtmpt-proxy.test.ts covers proxy mode in front of Red5-shaped origins.)
 * Both workers run from a snapshot of the tree: `wrangler dev` reloads on any edit under worker/ or
 * web/dist, which would reset the gateway's Durable Objects (dropping their RTMP sessions) mid-test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codecs, dumpLive, publish as publishTestStream, waitForStream } from "../support/media";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { tempDir } from "../support/process";
import type { WorkerServer } from "../support/wrangler-dev";
import { startWorkerSnapshot } from "../support/wrangler-snapshot";

describe("proxy-mode worker → gateway-mode worker → nginx-rtmp", () => {
  let nginx: NginxRtmp;
  let gateway: WorkerServer;
  let proxy: WorkerServer;
  const dir = tempDir("rtmpt-chain");

  beforeAll(async () => {
    nginx = await startNginxRtmp();
    gateway = await startWorkerSnapshot({ RTMPT_ORIGINS: nginx.origin });
    proxy = await startWorkerSnapshot({ RTMPT_ORIGINS: gateway.url, RTMPT_TAG_SECRET: "chain-secret" });
  });
  afterAll(async () => {
    await proxy?.stop();
    await gateway?.stop();
    await nginx?.stop();
  });

  it("/healthz of each worker reports its next hop up (HTTP probe to the gateway, TCP connect to nginx)", async () => {
    const p = (await (await fetch(`${proxy.url}/healthz`)).json()) as { rtmpt: { mode: string; probe: unknown[] } };
    expect(p.rtmpt.mode).toBe("proxy");
    expect(p.rtmpt.probe).toEqual([{ origin: gateway.url, up: true, status: 404 }]);
    const g = (await (await fetch(`${gateway.url}/healthz`)).json()) as { rtmpt: { mode: string; probe: unknown[] } };
    expect(g.rtmpt.mode).toBe("gateway");
    expect(g.rtmpt.probe).toEqual([{ origin: nginx.origin, up: true }]);
  });

  it("carries a real publish and a real playback through both workers", async () => {
    const name = "chained";
    const publish = publishTestStream(`rtmpt://127.0.0.1:${proxy.port}/live/${name}`, 25, 120_000);
    try {
      expect(await waitForStream(`rtmp://127.0.0.1:${nginx.port}/live/${name}`, 60_000)).toEqual(["aac", "h264"]);

      const file = join(dir, "played.flv");
      const played = await dumpLive(`rtmpt://127.0.0.1:${proxy.port}/live/${name}`, file);
      expect(played.bytes, played.output.slice(-2000)).toBeGreaterThan(150_000);
      expect(readFileSync(file).subarray(0, 3).toString()).toBe("FLV");
      expect(await codecs(file)).toEqual(["aac", "h264"]);

      const pub = await publish.done;
      expect(pub.code, pub.output.slice(-3000)).toBe(0);
    } finally {
      publish.stop();
    }
    // Both requests paths went through the proxy worker: its log shows the RTMPT requests it forwarded.
    expect(proxy.proc.output()).toMatch(/POST \/(send|idle)\/0[0-9a-f]{12}[0-9a-zA-Z]+\/\d+ 200/);
  });
});
