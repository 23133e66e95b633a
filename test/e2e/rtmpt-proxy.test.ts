/**
 * RTMPT proxy mode end to end, with real clients: ffmpeg publishes `rtmpt://worker/live/<name>` and
 * rtmpdump plays it back through `wrangler dev` in proxy mode → two RTMPT origins
 * (test/support/rtmpt-origin.ts, Red5-shaped) → a real nginx-rtmp, where ffprobe sees the stream.
 * Then: byte-exact bodies, no open proxy, sticky sessions, failover on /open, 502 when all origins are dead.
 * The worker runs from a snapshot of the tree, so that edits elsewhere (wrangler dev reloads) cannot reset
 * its round robin between the publisher's and the player's `/open`.
 */
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpLive, codecs as probe, publish as publishTestStream, run, waitForStream } from "../support/media";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { tempDir, waitFor } from "../support/process";
import { type BlackHole, type RtmptOrigin, startBlackHole, startRtmptOrigin } from "../support/rtmpt-origin";
import { type LogRecord, watchLogRecords } from "../support/worker-log";
import type { WorkerServer } from "../support/wrangler-dev";
import { startWorkerSnapshot } from "../support/wrangler-snapshot";

function post(url: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", body, headers: { "content-type": "application/x-fcs", ...headers } });
}

/** Every /send|/idle|/close an origin saw names a session that this same origin opened. */
function sticky(origin: RtmptOrigin): { foreign: string[]; inSession: number } {
  const mine = new Set(origin.opened);
  const foreign: string[] = [];
  let inSession = 0;
  for (const r of origin.seen) {
    const m = /^\/(send|idle|close)\/([^/]+)\//.exec(r.url);
    if (!m?.[2]) continue;
    inSession++;
    if (!mine.has(m[2])) foreign.push(r.url);
  }
  return { foreign, inSession };
}

describe("RTMPT proxy mode through wrangler dev to two RTMPT origins in front of nginx-rtmp", () => {
  let nginx: NginxRtmp;
  let a: RtmptOrigin;
  let b: RtmptOrigin;
  let worker: WorkerServer;
  const dir = tempDir("rtmpt-proxy");
  let events: () => LogRecord[] = () => [];

  beforeAll(async () => {
    nginx = await startNginxRtmp();
    a = await startRtmptOrigin(nginx.port);
    b = await startRtmptOrigin(nginx.port);
    worker = await startWorkerSnapshot({ RTMPT_ORIGINS: `${a.url},${b.url}`, RTMPT_TAG_SECRET: "e2e-proxy-secret" });
    // Keep the worker's log records (the process log itself is trimmed: every request is logged).
    const log = watchLogRecords(worker.proc.child);
    events = () => log.records().filter((r) => r.event.startsWith("rtmpt_"));
  });
  afterAll(async () => {
    await worker?.stop();
    await a?.stop();
    await b?.stop();
    await nginx?.stop();
  });

  it("/healthz reports proxy mode and that both origins answer", async () => {
    const res = await fetch(`${worker.url}/healthz`);
    const body = (await res.json()) as { rtmpt: { mode: string; probe: { origin: string; up: boolean }[] } };
    expect(body.rtmpt.mode).toBe("proxy");
    expect(body.rtmpt.probe.map((p) => [p.origin, p.up])).toEqual([
      [a.url, true],
      [b.url, true],
    ]);
  });

  it("ffmpeg publishes over RTMPT through the worker; ffprobe sees h264+aac at nginx; rtmpdump plays it back", async () => {
    const name = "proxied";
    const publish = publishTestStream(`rtmpt://127.0.0.1:${worker.port}/live/${name}`, 25, 90_000);
    try {
      expect(await waitForStream(`rtmp://127.0.0.1:${nginx.port}/live/${name}`, 45_000)).toEqual(["aac", "h264"]);

      const file = join(dir, "played.flv");
      const played = await dumpLive(`rtmpt://127.0.0.1:${worker.port}/live/${name}`, file);
      expect(played.bytes, played.output.slice(-2000)).toBeGreaterThan(150_000);
      expect(readFileSync(file).subarray(0, 3).toString()).toBe("FLV");
      expect(await probe(file)).toEqual(["aac", "h264"]);

      const pub = await publish.done;
      expect(pub.code, pub.output.slice(-3000)).toBe(0);
    } finally {
      publish.stop();
    }

    // Publisher and player opened two sessions: one on each origin, and each stayed on its origin.
    expect(a.used.size).toBeGreaterThan(0);
    expect(b.used.size).toBeGreaterThan(0);
    for (const origin of [a, b]) {
      const s = sticky(origin);
      expect(s.foreign).toEqual([]);
      expect(s.inSession).toBeGreaterThan(10);
    }
    // ffmpeg closes its RTMPT session at the end: the close reached an origin.
    expect([...a.seen, ...b.seen].some((r) => r.url.startsWith("/close/"))).toBe(true);
    // Structured logs: one record per session open and close, with origin and outcome.
    await waitFor("open/close log records", async () => events().some((e) => e.event === "rtmpt_close"), 10_000);
    const opens = events().filter((e) => e.event === "rtmpt_open" && e.outcome === "ok");
    expect(opens.some((e) => e.origin === 0)).toBe(true);
    expect(opens.some((e) => e.origin === 1)).toBe(true);
    const closes = events().filter((e) => e.event === "rtmpt_close");
    expect(closes).toContainEqual({ event: "rtmpt_close", outcome: "ok", origin: expect.toBeOneOf([0, 1]), status: 200 });
  });

  it("carries binary bodies byte-exact both ways, with Content-Length and the session id framing kept", async () => {
    const open = await post(`${worker.url}/open/1?echo`, new Uint8Array([0]));
    expect(open.status).toBe(200);
    expect(open.headers.get("content-type")).toBe("application/x-fcs");
    const reply = await open.text();
    expect(reply).toMatch(/^[A-Za-z0-9]{14,62}\n$/);
    const id = reply.slice(0, -1);
    const all = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    const big = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919 + (i >> 8)) % 256;
    for (const [seq, body] of [all, big].entries()) {
      const res = await post(`${worker.url}/send/${id}/${seq}`, body);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBe(String(body.length));
      expect(res.headers.get("transfer-encoding")).toBeNull();
      expect(res.headers.get("content-encoding")).toBeNull();
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(body))).toBe(true);
    }
    const seen = [...a.seen, ...b.seen].filter((r) => r.url.startsWith("/send/") && r.body.length >= 512);
    const got = seen.map((r) => r.body.length).sort((x, y) => x - y);
    expect(got).toContain(512);
    expect(got).toContain(big.length);
    const small = seen.find((r) => r.body.length === 512);
    expect(small && Buffer.from(small.body).equals(Buffer.from(all))).toBe(true);
    // The origin got the body with its length, not chunked.
    expect(small?.headers["content-length"]).toBe("512");
    expect(small?.headers["transfer-encoding"]).toBeUndefined();
  });

  it("never lets the client choose the upstream: Host, X-Forwarded-For, Forwarded and the query are not trusted", async () => {
    const [beforeA, beforeB] = [a.seen.length, b.seen.length];
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port: worker.port,
          method: "POST",
          path: "/fcs/ident2?upstream=http://169.254.169.254/&echo",
          headers: {
            Host: "evil.example:9999",
            "X-Forwarded-For": "6.6.6.6",
            "X-Forwarded-Host": "evil.example",
            Forwarded: "for=6.6.6.6;host=evil.example",
            "Content-Type": "application/x-fcs",
            "Content-Length": "1",
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(Buffer.from([0]));
    });
    expect(status).toBe(404); // Red5-like origins answer /fcs/ident2 with 404: the request reached one of them.
    const seen = [...a.seen.slice(beforeA), ...b.seen.slice(beforeB)];
    expect(seen.length).toBe(1);
    const h = seen[0]?.headers ?? {};
    expect([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]).toContain(h.host);
    expect(seen[0]?.url).toBe("/fcs/ident2?upstream=http://169.254.169.254/&echo");
    expect(JSON.stringify(h)).not.toContain("6.6.6.6");
    expect(h["x-forwarded-proto"]).toBe("http");
  });

  it("a forged or unknown session id is refused without reaching an origin", async () => {
    const before = a.seen.length + b.seen.length;
    const forged = await post(`${worker.url}/idle/0aaaaaaaaaaaaFAKESESSION1/1`, new Uint8Array([0]));
    expect(forged.status).toBe(404);
    expect(await forged.text()).toBe("Unknown RTMPT session\n");
    expect(a.seen.length + b.seen.length).toBe(before);
  });

  it("fails /open over to the live origin when one dies, and answers 502 when none is left", async () => {
    await b.stop();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post(`${worker.url}/open/1`, new Uint8Array([0]));
      expect(res.status).toBe(200);
      ids.push(await res.text());
    }
    // Every session landed on origin 0 (the tag's first digit), although the round robin picked origin 1 for some.
    expect(ids.every((id) => id.startsWith("0"))).toBe(true);
    const failedOver = (e: LogRecord) =>
      e.event === "rtmpt_open" &&
      (e.tried as { origin: number; outcome: string }[]).some((t) => t.origin === 1 && t.outcome === "unreachable");
    await waitFor("failover log", async () => events().some(failedOver), 10_000);

    // A real client still publishes through the surviving origin.
    const pub = await run(
      "ffmpeg",
      [
        "-hide_banner",
        "-nostdin",
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=160x120:rate=25",
        "-t",
        "2",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-f",
        "flv",
        `rtmpt://127.0.0.1:${worker.port}/live/after-failover`,
      ],
      60_000,
    ).done;
    expect(pub.code, pub.output.slice(-2000)).toBe(0);

    await a.stop();
    const dead = await post(`${worker.url}/open/1`, new Uint8Array([0]));
    expect(dead.status).toBe(502);
    expect(await dead.text()).toBe("Bad gateway: no RTMPT origin could serve this request\n");
    // /healthz caches its probe for a few seconds: wait until it reports both origins down.
    await waitFor(
      "/healthz reports both origins down",
      async () => {
        const health = (await (await fetch(`${worker.url}/healthz`)).json()) as { rtmpt: { probe: { up: boolean }[] } };
        return health.rtmpt.probe.every((p) => !p.up) && health.rtmpt.probe.length === 2;
      },
      20_000,
    );
  });
});

describe("RTMPT proxy mode with an origin that accepts connections and never answers", () => {
  let nginx: NginxRtmp;
  let hung: BlackHole;
  let live: RtmptOrigin;
  let hung2: BlackHole | undefined;
  let worker: WorkerServer;

  beforeAll(async () => {
    nginx = await startNginxRtmp();
    hung = await startBlackHole();
    live = await startRtmptOrigin(nginx.port);
    worker = await startWorkerSnapshot({ RTMPT_ORIGINS: `${hung.url},${live.url}`, RTMPT_ORIGIN_TIMEOUT_MS: "1500" });
  });
  afterAll(async () => {
    await worker?.stop();
    await hung?.stop();
    await hung2?.stop();
    await live?.stop();
    await nginx?.stop();
  });

  it("fails /open over from the hung origin after RTMPT_ORIGIN_TIMEOUT_MS, and answers 504 when every origin hangs", async () => {
    // The round robin starts new sessions on each origin in turn: every one of them ends on the live origin.
    for (let i = 0; i < 2; i++) {
      const res = await post(`${worker.url}/open/1`, new Uint8Array([0]));
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^1[0-9a-f]{12}[A-Z0-9]{13}\n$/);
    }
    expect(hung.accepted()).toBeGreaterThan(0);
    expect(live.opened.length).toBe(2);

    await live.stop();
    hung2 = await startBlackHole(live.port);
    const res = await post(`${worker.url}/open/1`, new Uint8Array([0]));
    expect(res.status).toBe(504);
    expect(await res.text()).toBe("Gateway timeout: the RTMPT origin did not answer in time\n");
    const health = (await (await fetch(`${worker.url}/healthz`)).json()) as {
      rtmpt: { probe: { up: boolean; error?: string }[] };
    };
    expect(health.rtmpt.probe).toEqual([
      { origin: hung.url, up: false, error: "timeout" },
      { origin: `http://127.0.0.1:${live.port}`, up: false, error: "timeout" },
    ]);
  });
});
