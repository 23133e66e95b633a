/**
 * RTMPT proxy mode with every real client's framing: the test tunnel (test/support/rtmpt-tunnel.ts)
 * frames ffmpeg's RTMP stream as HaishinKit 1.9.8 and 1.4.2, RootEncoder, Flash and librtmp do, into the
 * built worker in workerd in proxy mode → a second one in gateway mode (a real RTMPT server that is not
 * test code) → nginx-rtmp, where ffprobe sees the stream; ffmpeg plays it back through the same chain;
 * every reply is one each client accepts (the proxy relays the gateway's status line, Content-Length and
 * Content-Type untouched); and each client's origin connection closes within 5 s of the client ending
 * (HaishinKit's and RootEncoder's `/close/<id>` without seq reaches the gateway through the proxy).
 * workerd rather than `wrangler dev`: librtmp pipelines a /send per RTMP packet on one connection, and
 * two `wrangler dev` proxies in a row (each a Node HTTP layer in front of workerd, ~40 ms per request
 * here) serve fewer requests a second than a live publisher posts, so its stream falls behind.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { tempDir } from "../support/process";
import { startRtmptTunnel } from "../support/rtmpt-tunnel";
import type { ClientFraming } from "../support/rtmpt-tunnel-clients";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import { carryStream } from "./rtmpt-clients-support";

const FRAMINGS: ClientFraming[] = ["flash", "haishinkit", "haishinkit-1.4.2", "rootencoder", "librtmp"];

describe("RTMPT proxy mode → gateway mode: each real client's framing carries a stream to nginx-rtmp and back", () => {
  let nginx: NginxRtmp;
  let gateway: WorkerdServer;
  let proxy: WorkerdServer;
  const dir = tempDir("rtmpt-clients-proxy");

  beforeAll(async () => {
    nginx = await startNginxRtmp();
    const bundle = bundleWorker();
    gateway = await startWorkerd(bundle, { RTMPT_ORIGINS: nginx.origin, XMPP_WEBSOCKET_URL: "" });
    proxy = await startWorkerd(bundle, {
      RTMPT_ORIGINS: gateway.url,
      RTMPT_TAG_SECRET: "clients-secret",
      XMPP_WEBSOCKET_URL: "",
    });
  });
  afterAll(async () => {
    await proxy?.stop();
    await gateway?.stop();
    await nginx?.stop();
  });

  for (const framing of FRAMINGS) {
    it(`${framing} through the proxy: publishes (nginx sees h264 + aac), plays back, frees its origin connections within 5 s`, async () => {
      const tunnel = await startRtmptTunnel(Number(new URL(proxy.url).port), framing);
      try {
        const carried = await carryStream(nginx, tunnel, `px-${framing.replace(/[^a-z0-9]/g, "")}`, dir);
        console.info(
          `proxy ${framing}: played ${carried.playedSeconds} s; nginx closed the publisher ${carried.freed[0]} ms and the player ${carried.freed[1]} ms after each client ended`,
        );
      } finally {
        await tunnel.stop();
      }
    }, 90_000);
  }
});
