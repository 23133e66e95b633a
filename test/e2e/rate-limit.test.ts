/**
 * The per-client limit on new sessions (worker/http/rate-limit.ts) through `wrangler dev` with the
 * `[[ratelimits]]` binding of wrangler.toml (100 per minute), in proxy mode in front of a Red5-shaped
 * RTMPT origin and a real nginx-rtmp: one address opens its 100 sessions, the 101st gets 429 and never
 * reaches the origin, a forged X-Forwarded-For does not get around it, and meanwhile ffmpeg publishing from
 * another address (127.0.0.1, as Miniflare sets CF-Connecting-IP locally) works.
 * Locally a client may set CF-Connecting-IP itself (Miniflare only fills it in when absent); at Cloudflare's
 * edge the header is always the observed address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish, waitForStream } from "../support/media";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { type RtmptOrigin, startRtmptOrigin } from "../support/rtmpt-origin";
import type { WorkerServer } from "../support/wrangler-dev";
import { startWorkerSnapshot } from "../support/wrangler-snapshot";

const LIMIT = 100;
const NOISY = "192.0.2.77";

function post(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    body: new Uint8Array([0]),
    headers: { "content-type": "application/x-fcs", ...headers },
  });
}

describe("per-client limit on new RTMPT sessions through wrangler dev", () => {
  let nginx: NginxRtmp;
  let origin: RtmptOrigin;
  let worker: WorkerServer;

  beforeAll(async () => {
    nginx = await startNginxRtmp();
    origin = await startRtmptOrigin(nginx.port);
    worker = await startWorkerSnapshot({ RTMPT_ORIGINS: origin.url, RTMPT_TAG_SECRET: "e2e-limit-secret" });
  });
  afterAll(async () => {
    await worker?.stop();
    await origin?.stop();
    await nginx?.stop();
  });

  it(`one address gets ${LIMIT} sessions a minute, then 429; another address still publishes`, async () => {
    // The limiter's windows are aligned to the wall clock (one a minute): start early in one, so that the
    // 100 opens and the refused 101st fall in the same window.
    const into = Date.now() % 60_000;
    if (into > 35_000) await new Promise((r) => setTimeout(r, 60_000 - into + 250));
    const ids: string[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await post(`${worker.url}/open/1`, { "cf-connecting-ip": NOISY });
      statuses.push(res.status);
      if (res.status === 200) ids.push((await res.text()).trim());
      else await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    for (const id of ids) await (await post(`${worker.url}/close/${id}/1`, { "cf-connecting-ip": NOISY })).body?.cancel();

    const opensAtOrigin = origin.opened.length;
    const refused = await post(`${worker.url}/open/1`, { "cf-connecting-ip": NOISY });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(await refused.text()).toBe("Too many new RTMPT sessions from your address; try again in a minute\n");
    // Forwarding claims are not the client's address.
    const forged = await post(`${worker.url}/open/1`, { "cf-connecting-ip": NOISY, "x-forwarded-for": "203.0.113.1" });
    expect(forged.status).toBe(429);
    await forged.body?.cancel();
    expect(origin.opened.length).toBe(opensAtOrigin);

    const name = "limited-neighbour";
    const publisher = publish(`rtmpt://127.0.0.1:${worker.port}/live/${name}`, 20);
    try {
      expect(await waitForStream(`rtmp://127.0.0.1:${nginx.port}/live/${name}`)).toEqual(["aac", "h264"]);
    } finally {
      publisher.stop();
      await publisher.done;
    }
  });
});
