/**
 * RTMPT gateway mode end to end, real peers on 127.0.0.1: ffmpeg publishes `rtmpt://` through
 * `wrangler dev` (worker + one Durable Object per session, RTMP over TCP) to nginx-rtmp; ffprobe reads
 * it straight from nginx; rtmpdump and ffmpeg play it back through the worker; then nginx dies
 * mid-stream and every client must end by itself while the objects close their sockets. Also: ffmpeg
 * publishing through the built bundle in workerd (no wrangler dev layers), and librtmp-style pipelined
 * requests on one keep-alive connection in both runtimes.
 */
import { statSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codecs, publish, run, videoSeconds } from "../support/media";
import { type NginxRtmp, startNginxRtmp } from "../support/nginx-rtmp";
import { tempDir, waitFor } from "../support/process";
import { type LogRecord, watchLogRecords } from "../support/worker-log";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";

/** Counts, from now on, the worker's log records matching `match` (its own listener: no truncation). */
function countRecords(worker: WorkerServer, match: (r: LogRecord) => boolean): { count: () => number } {
  const log = watchLogRecords(worker.proc.child);
  return { count: () => log.records().filter(match).length };
}

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

interface RawResponse {
  statusLine: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Writes `writes` on one keep-alive TCP connection, `gapMs` apart (librtmp pipelines requests; FFmpeg's
 * body often trails its headers by a Nagle delay), and parses `count` replies.
 */
function pipelined(port: number, writes: Buffer[], count: number, gapMs = 0): Promise<RawResponse[]> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: "127.0.0.1", port });
    let buf = Buffer.alloc(0);
    const out: RawResponse[] = [];
    sock.setTimeout(30_000, () => sock.destroy(new Error(`only ${out.length} of ${count} replies`)));
    sock.on("error", reject);
    sock.on("connect", async () => {
      for (const [i, w] of writes.entries()) {
        if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        sock.write(w);
      }
    });
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const [statusLine = "", ...lines] = buf.subarray(0, end).toString("latin1").split("\r\n");
        const headers: Record<string, string> = {};
        for (const l of lines) headers[l.slice(0, l.indexOf(":")).toLowerCase()] = l.slice(l.indexOf(":") + 1).trim();
        const length = Number(headers["content-length"] ?? Number.NaN);
        if (!Number.isFinite(length)) return reject(new Error(`reply without Content-Length: ${statusLine}`));
        if (buf.length < end + 4 + length) return;
        out.push({ statusLine, headers, body: buf.subarray(end + 4, end + 4 + length) });
        buf = buf.subarray(end + 4 + length);
        if (out.length === count) {
          sock.end();
          return resolve(out);
        }
      }
    });
  });
}

function rtmptPost(path: string, body: Buffer): Buffer {
  const head =
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-fcs\r\n` +
    `User-Agent: Shockwave Flash\r\nConnection: Keep-Alive\r\nCache-Control: no-cache\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}

describe("RTMPT gateway mode: ffmpeg, ffprobe, rtmpdump through the worker to nginx-rtmp", () => {
  let nginx: NginxRtmp;
  let worker: WorkerServer;
  let bundled: WorkerdServer;
  const dir = tempDir("rtmpt-gateway");

  beforeAll(async () => {
    nginx = await startNginxRtmp();
    worker = await startWorker({ RTMPT_ORIGINS: nginx.origin });
    // The bundled worker also lists a dead origin (port 1: nothing listens), so its sessions that start
    // there fail over to nginx.
    bundled = await startWorkerd(bundleWorker(), {
      RTMPT_ORIGINS: `rtmp://127.0.0.1:1,${nginx.origin}`,
      XMPP_WEBSOCKET_URL: "",
    });
  });
  afterAll(async () => {
    await bundled?.stop();
    await worker?.stop();
    await nginx?.stop();
  });

  const published = (name: string) => () => Promise.resolve(nginx.errorLog().includes(`publish: name='${name}'`));

  it("publishes through the worker (nginx sees H.264 + AAC) and plays back with rtmpdump and ffmpeg", async () => {
    const rtmpt = `rtmpt://127.0.0.1:${worker.port}/live/gw1`;
    const publisher = publish(rtmpt, 40);
    try {
      await waitFor("publish through the gateway reaches nginx", published("gw1"), 60_000);
      expect(await codecs(`${nginx.origin}/live/gw1`)).toEqual(["aac", "h264"]);

      const dumped = join(dir, "rtmpdump.flv");
      const played = join(dir, "ffmpeg.flv");
      // rtmpdump's -B counts stream time, which for a live join starts mid-stream: bound it with SIGINT
      // (it closes its file cleanly) once it holds a few seconds of media.
      const rtmpdump = run("rtmpdump", ["-r", rtmpt, "--live", "-m", "30", "-o", dumped], 120_000);
      const ffmpeg = run(
        "ffmpeg",
        ["-hide_banner", "-nostdin", "-y", "-i", rtmpt, "-t", "4", "-c", "copy", "-f", "flv", played],
        90_000,
      );
      const playRun = await ffmpeg.done;
      await waitFor("rtmpdump receives media", async () => (await videoSeconds(dumped)) > 3, 60_000);
      rtmpdump.interrupt();
      const dumpRun = await rtmpdump.done;
      expect(dumpRun.timedOut, dumpRun.output.slice(-2000)).toBe(false);
      expect(playRun.timedOut, playRun.output.slice(-2000)).toBe(false);
      expect(playRun.code, playRun.output.slice(-2000)).toBe(0);
      for (const file of [dumped, played]) {
        console.info(`played back through the gateway: ${file}: ${size(file)} bytes, ${await videoSeconds(file)} s`);
        expect(size(file), file).toBeGreaterThan(30_000);
        expect(await videoSeconds(file), file).toBeGreaterThan(2.5);
        expect(await codecs(file), file).toEqual(["aac", "h264"]);
      }
    } finally {
      publisher.stop();
      await publisher.done;
    }
  });

  it("publishes through the built bundle in workerd too (production-like runtime, no wrangler dev layers)", async () => {
    const url = `${bundled.url.replace(/^http:/, "rtmpt:")}/live/gw-workerd`;
    const r = await publish(url, 4).done;
    expect(r.timedOut, r.output.slice(-2000)).toBe(false);
    expect(r.code, r.output.slice(-2000)).toBe(0);
    expect(nginx.errorLog()).toContain("publish: name='gw-workerd'");
  });

  it("fails over from a dead origin on /open: every session opens (workerd, dead origin listed first)", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${bundled.url}/open/1`, { method: "POST", body: new Uint8Array([0]) });
      expect(res.status).toBe(200);
      ids.push((await res.text()).trim());
    }
    expect(new Set(ids).size).toBe(8);
    for (const id of ids) {
      const res = await fetch(`${bundled.url}/close/${id}/0`, { method: "POST", body: new Uint8Array([0]) });
      expect(res.status).toBe(200);
    }
  });

  // librtmp's pattern on one connection, against wrangler dev and against the built bundle in workerd.
  for (const runtime of ["wrangler dev", "workerd"] as const) {
    it(`answers pipelined requests on one keep-alive connection as librtmp needs (${runtime})`, async () => {
      const base = runtime === "workerd" ? bundled.url : worker.url;
      const port = Number(new URL(base).port);
      const rtmpt = (path: string) => fetch(`${base}${path}`, { method: "POST", body: new Uint8Array([0]) });
      const open = await rtmpt("/open/1");
      expect(open.status).toBe(200);
      const text = await open.text();
      expect(text).toMatch(/^[0-9a-f]{32}\n$/);
      const id = text.trim();
      // C0 (version 3) + C1 (1536 bytes): the RTMP handshake as ffmpeg sends it in /send/<id>/0.
      const c0c1 = Buffer.concat([Buffer.from([3]), Buffer.alloc(1536, 0x5a)]);
      const idles = [1, 2, 3, 4, 5].map((seq) => rtmptPost(`/idle/${id}/${seq}`, Buffer.from([0])));
      const late = rtmptPost(`/idle/${id}/6`, Buffer.from([0]));
      // All at once, then one more whose 1-byte body trails its headers.
      const writes = [Buffer.concat([rtmptPost(`/send/${id}/0`, c0c1), ...idles]), late.subarray(0, -1), late.subarray(-1)];
      const replies = await pipelined(port, writes, 7, 300);
      for (const r of replies) {
        expect(r.statusLine).toBe("HTTP/1.1 200 OK");
        expect(r.headers["content-type"]).toBe("application/x-fcs");
        expect(r.headers["transfer-encoding"]).toBeUndefined();
        expect(r.headers["content-encoding"]).toBeUndefined();
        expect(r.headers.connection?.toLowerCase()).not.toBe("close");
        expect(r.body[0]).toBeGreaterThanOrEqual(1);
      }
      // nginx's S0 + S1 + S2 (1 + 1536 + 1536 bytes) come back behind the polling bytes, in order.
      const chunks = replies.map((r) => r.body.subarray(1));
      let seq = 7;
      while (Buffer.concat(chunks).length < 3073 && seq < 200) {
        const res = await rtmpt(`/idle/${id}/${seq++}`);
        expect(res.status).toBe(200);
        chunks.push(Buffer.from(await res.arrayBuffer()).subarray(1));
      }
      const fromOrigin = Buffer.concat(chunks);
      expect(fromOrigin.length).toBe(3073);
      expect(fromOrigin[0]).toBe(3);
      const close = await rtmpt(`/close/${id}/${seq}`);
      expect([...new Uint8Array(await close.arrayBuffer())]).toEqual([0]);
    });
  }

  it("ends publisher and players cleanly when nginx dies mid-stream, and the objects close their sockets", async () => {
    const rtmpt = `rtmpt://127.0.0.1:${worker.port}/live/gw2`;
    const originClosed = countRecords(worker, (r) => r.event === "rtmpt_gateway_origin_ended" && r.reason === "origin_closed");
    const publisher = publish(rtmpt, 120);
    await waitFor("publish through the gateway reaches nginx", published("gw2"), 60_000);
    const dumped = join(dir, "rtmpdump-killed.flv");
    const played = join(dir, "ffmpeg-killed.flv");
    const rtmpdump = run("rtmpdump", ["-r", rtmpt, "--live", "-m", "30", "-o", dumped], 150_000);
    const ffmpeg = run("ffmpeg", ["-hide_banner", "-nostdin", "-y", "-i", rtmpt, "-c", "copy", "-f", "flv", played], 150_000);
    try {
      await waitFor("both players receive media", async () => size(dumped) > 20_000 && size(played) > 20_000, 60_000);
      await nginx.kill();
      const [pubRun, dumpRun, playRun] = await Promise.all([publisher.done, rtmpdump.done, ffmpeg.done]);
      // Every client ended by itself (no deadline kill), well before its 120+ s of stream.
      for (const [name, r] of [
        ["publisher", pubRun],
        ["rtmpdump", dumpRun],
        ["ffmpeg", playRun],
      ] as const) {
        expect(r.timedOut, `${name}: ${r.output.slice(-1500)}`).toBe(false);
        expect(r.signal, name).toBe(null);
      }
      expect(playRun.code, playRun.output.slice(-1500)).toBe(0);
      expect(await videoSeconds(played)).toBeGreaterThan(0.5);
      console.info(
        `after nginx died: publisher exit ${pubRun.code}, rtmpdump exit ${dumpRun.code}, ffmpeg exit ${playRun.code}; ` +
          `ffmpeg kept ${size(played)} bytes / ${await videoSeconds(played)} s`,
      );
      // The three sessions' objects saw the origin close and closed their sockets.
      await waitFor(
        "three sessions saw the origin close and closed their sockets",
        async () => originClosed.count() >= 3,
        30_000,
        worker.proc,
      );
      // With nothing listening any more, a new session is refused with a clear 502.
      const open = await fetch(`${worker.url}/open/1`, { method: "POST", body: new Uint8Array([0]) });
      expect(open.status).toBe(502);
      expect(await open.text()).toBe("RTMP origin unavailable\n");
    } finally {
      for (const p of [publisher, rtmpdump, ffmpeg]) p.stop();
    }
  });
});
