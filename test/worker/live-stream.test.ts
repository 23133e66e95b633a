// The live stream's Durable Object (worker/live/live-stream.ts) in workerd, its origin an in-memory RTMP
// server that answers as nginx-rtmp does (handshake, connect and createStream results, Play.Start,
// media, UnpublishNotify; the play client itself: live-player.test.ts): viewers over a WebSocket and
// HTTP-FLV get the FLV bytes, one send per origin read; the publisher stopping closes the WebSockets
// with 1000 and the origin lost with 1011 (what the watch page tells apart); the per-client and
// per-stream limits; a new origin connection once the last one ended. The real chain against
// nginx-rtmp: test/e2e/live-flv.test.ts.
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeAmf0 } from "../../worker/live/amf0";
import { encodeChunks } from "../../worker/live/chunk-writer";
import { GRACE_MS, MAX_VIEWERS } from "../../worker/live/limits";
import { type LiveStream, VIEW_HEADER, type ViewRequest } from "../../worker/live/live-stream";
import { HARD_CAP } from "../../worker/live/viewer";
import { MemoryOrigin, until } from "./live-memory-origin";
import { setChunkSize } from "./live-origin-messages";
import { logRecords } from "./log-records";

const CHUNK = 4096;
const command = (name: string, txn: number, ...rest: Parameters<typeof encodeAmf0>) =>
  encodeChunks({ chunkStreamId: 3, typeId: 20, streamId: 0, timestamp: 0, payload: encodeAmf0(name, txn, ...rest) }, CHUNK);
const onStatus = (code: string) =>
  encodeChunks(
    {
      chunkStreamId: 5,
      typeId: 20,
      streamId: 1,
      timestamp: 0,
      payload: encodeAmf0("onStatus", 0, null, { level: "status", code }),
    },
    CHUNK,
  );
const video = (timestamp: number, body: number[] | Uint8Array) =>
  encodeChunks({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp, payload: Uint8Array.from(body) }, CHUNK);
/** An AVC sequence header, a keyframe and an inter frame (FLV VIDEODATA: frame type, codec 7, packet type). */
const AVC_CONFIG = [0x17, 0, 0, 0, 0, 1, 2, 3];
const KEYFRAME = [0x17, 1, 0, 0, 0, 9, 9, 9, 9];
const FRAME = [0x27, 1, 0, 0, 0, 5, 5];

/** An RTMP origin in memory that plays `live/<stream>` as nginx-rtmp does, once `start()` ran. */
class ScriptedOrigin extends MemoryOrigin {
  /** Commands the client sent so far. */
  private commandCount(): number {
    return this.clientMessages().filter((m) => m.typeId === 20).length;
  }
  /** Handshake, connect, createStream, play: until Play.Start. */
  async start(): Promise<void> {
    await until("C0+C1", () => this.fromClient.length >= 1537);
    this.send(Uint8Array.of(3, ...new Uint8Array(1536), ...this.fromClient.slice(1, 1537)));
    await until("connect", () => this.commandCount() >= 1);
    this.send(
      setChunkSize(CHUNK, 128),
      command("_result", 1, { fmsVer: "FMS/3,0,1,123" }, { code: "NetConnection.Connect.Success", level: "status" }),
    );
    await until("createStream", () => this.commandCount() >= 2);
    this.send(command("_result", 2, null, 1));
    await until("play", () => this.commandCount() >= 3);
    this.send(onStatus("NetStream.Play.Start"));
  }
}

const VIEW: ViewRequest = {
  app: "live",
  stream: "cam",
  origins: [],
  timeoutMs: 2000,
  perClient: 8,
  client: "203.0.113.1",
  websocket: false,
};
const ask = (stream: LiveStream, view: Partial<ViewRequest> = {}) =>
  stream.fetch(new Request("http://live.internal/", { headers: { [VIEW_HEADER]: JSON.stringify({ ...VIEW, ...view }) } }));

/** A WebSocket viewer: every binary message's size, and how it was closed. */
function socketViewer(res: Response) {
  const ws = res.webSocket as WebSocket;
  ws.accept();
  const messages: number[] = [];
  const blobs: Blob[] = [];
  let closed: { code: number; reason: string } | null = null;
  // workerd hands a binary message to the page side of a WebSocketPair as a Blob.
  ws.addEventListener("message", (e) => {
    messages.push((e.data as Blob).size);
    blobs.push(e.data as Blob);
  });
  ws.addEventListener("close", (e) => {
    closed = { code: e.code, reason: e.reason };
  });
  return { ws, messages, blobs, closed: () => closed as { code: number; reason: string } | null };
}

/** An HTTP-FLV viewer: the bytes read so far, and whether the body ended. */
function httpViewer(res: Response) {
  const bytes: number[] = [];
  let ended = false;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes.push(...value);
    }
    ended = true;
  })();
  return { bytes, ended: () => ended, reader };
}

/** Runs `body` in a fresh stream object with a playing in-memory origin. */
async function withStream(name: string, body: (stream: LiveStream, origin: ScriptedOrigin) => Promise<void>): Promise<void> {
  const stub = env.LIVE_STREAMS.get(env.LIVE_STREAMS.idFromName(name));
  await runInDurableObject(stub, async (stream: LiveStream) => {
    const origin = new ScriptedOrigin();
    stream.play(origin, "origin.test:1935", VIEW);
    await origin.start();
    await body(stream, origin);
  });
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** The object's origin connection while it is being opened (what `ensureSession` awaits). */
type Opening = { opening: Promise<unknown> | null; session: unknown };

describe("live stream object", () => {
  it("refuses a request without a readable view header with 400", async () => {
    const stub = env.LIVE_STREAMS.get(env.LIVE_STREAMS.idFromName("bad-header"));
    await runInDurableObject(stub, async (stream: LiveStream) => {
      const res = await stream.fetch(new Request("http://live.internal/", { headers: { [VIEW_HEADER]: "{not json" } }));
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await res.text()).toBe("Bad live request\n");
    });
  });

  it("fans the origin out to WebSocket and HTTP-FLV viewers, one send per read; the publisher stopping closes with 1000", async () => {
    await withStream("fan-out", async (stream, origin) => {
      origin.send(video(0, AVC_CONFIG), video(0, KEYFRAME));
      await until("the keyframe cached", async () => (await stream.status()).keyframe);
      const ws = socketViewer(await ask(stream, { websocket: true }));
      const httpRes = await ask(stream);
      expect(httpRes.status).toBe(200);
      expect(httpRes.headers.get("content-type")).toBe("video/x-flv");
      expect(httpRes.headers.get("cache-control")).toBe("no-store");
      const http = httpViewer(httpRes);
      const status = await stream.status();
      expect(status).toMatchObject({ viewers: 2, origin: "origin.test:1935" });
      // The new viewers started with the FLV header, the sequence header and the cached keyframe.
      await until("the start frames", () => ws.messages.length >= 3 && http.bytes.length > 0);
      expect(ws.messages.slice(0, 3)).toEqual([13, 11 + AVC_CONFIG.length + 4, 11 + KEYFRAME.length + 4]);
      expect(http.bytes.slice(0, 3)).toEqual([0x46, 0x4c, 0x56]); // "FLV"

      // One frame in a read of its own goes out at once, alone.
      const single = ws.messages.length;
      origin.send(video(20, FRAME));
      await until("the single frame", () => ws.messages.length > single);
      expect(ws.messages.slice(single)).toEqual([11 + FRAME.length + 4]);

      // Three frames in one read from the origin: one WebSocket message of all three.
      const before = ws.messages.length;
      origin.send(video(40, FRAME), video(80, FRAME), video(120, FRAME));
      await until("the frames", () => ws.messages.length > before);
      await scheduler.wait(5);
      expect(ws.messages.slice(before)).toEqual([3 * (11 + FRAME.length + 4)]);
      // The three FLV tags in a row: each a video tag (type 9) with its timestamp and body.
      const joined = new Uint8Array(await (ws.blobs[before] as Blob).arrayBuffer());
      const size = 11 + FRAME.length + 4;
      for (const [i, ts] of [40, 80, 120].entries()) {
        const tag = joined.subarray(i * size, (i + 1) * size);
        expect([
          tag[0],
          (tag[4] ?? 0) * 65536 + (tag[5] ?? 0) * 256 + (tag[6] ?? 0),
          ...tag.subarray(11, 11 + FRAME.length),
        ]).toEqual([9, ts, ...FRAME]);
      }
      expect(await stream.status()).toMatchObject({ viewers: 2, keyframe: true });
      expect((await stream.status()).cachedBytes).toBeGreaterThan(0);

      // The frame read together with the end still goes out before the close.
      const last = ws.messages.length;
      origin.send(video(160, FRAME), onStatus("NetStream.Play.UnpublishNotify"));
      await until("the viewers closed", () => ws.closed() !== null && http.ended());
      expect(ws.messages.slice(last)).toEqual([11 + FRAME.length + 4]);
      expect(ws.closed()).toEqual({ code: 1000, reason: "Stream ended: the publisher stopped" });
      expect(await stream.status()).toEqual({ viewers: 0, origin: null, cachedBytes: 0, keyframe: false });
      expect(origin.closed).toBe(true);

      // The next viewer needs a new origin connection: none is configured here, so 502.
      const again = await ask(stream, { websocket: true });
      expect(again.status).toBe(502);
      expect(await again.text()).toBe("Stream origin unavailable\n");
    });
  });

  it("the origin lost closes the WebSockets with 1011 and its reason; the HTTP body just ends", async () => {
    const info = vi.spyOn(console, "info");
    await withStream("origin-lost", async (stream, origin) => {
      const ws = socketViewer(await ask(stream, { websocket: true }));
      const http = httpViewer(await ask(stream));
      await until("both viewers", () => ws.messages.length > 0 && http.bytes.length > 0);
      origin.hangUp();
      await until("the viewers closed", () => ws.closed() !== null && http.ended());
      expect(ws.closed()).toEqual({ code: 1011, reason: "Stream origin lost: origin_closed" });
      expect((await stream.status()).viewers).toBe(0);
    });
    expect(logRecords(info, "live_origin_closed")).toEqual([
      { event: "live_origin_closed", stream: "live/cam", reason: "origin_closed", detail: expect.anything(), viewers: 2 },
    ]);
  });

  it("limits viewers per client address (429) and per stream (503), and counts one that left as gone", async () => {
    await withStream("limits", async (stream) => {
      const one = { perClient: 2, client: "198.51.100.7" };
      const a = socketViewer(await ask(stream, { ...one, websocket: true }));
      const b = httpViewer(await ask(stream, one));
      const third = await ask(stream, one);
      expect(third.status).toBe(429);
      expect(await third.text()).toBe("Too many connections to this stream from your address\n");
      // Another address is not counted against this one.
      expect((await ask(stream, { ...one, client: "198.51.100.8" })).status).toBe(200);
      expect((await stream.status()).viewers).toBe(3);
      // Both leave (the WebSocket closed by the viewer, the body cancelled): room for this address again.
      a.ws.close(1000, "bye");
      await b.reader.cancel();
      await until("both gone", async () => (await stream.status()).viewers === 1);
      expect((await ask(stream, one)).status).toBe(200);
    });
  });

  it("refuses the viewer past MAX_VIEWERS with 503", async () => {
    await withStream("full", async (stream) => {
      const viewers = [];
      for (let i = 0; i < MAX_VIEWERS; i++) {
        const res = await ask(stream, { client: `10.0.${i >> 8}.${i & 0xff}` });
        expect(res.status).toBe(200);
        viewers.push(httpViewer(res));
      }
      const over = await ask(stream, { client: "10.9.9.9" });
      expect(over.status).toBe(503);
      expect(await over.text()).toBe("This stream has too many viewers; try again later\n");
      await viewers[0]?.reader.cancel();
      await until("one left", async () => (await stream.status()).viewers === MAX_VIEWERS - 1);
      expect((await ask(stream, { client: "10.9.9.9" })).status).toBe(200);
    });
  });

  it("counts viewers waiting for the origin connection against their address's limit, and not once they are in", async () => {
    await withStream("joining", async (stream) => {
      // Hold the origin connection as being opened: the session of the playing origin arrives later.
      const inner = stream as unknown as Opening;
      const session = inner.session;
      inner.session = null;
      let open: (s: unknown) => void = () => {};
      inner.opening = new Promise((r) => {
        open = r;
      });
      const x = { perClient: 2, client: "192.0.2.1" };
      const a = ask(stream, x);
      const b = ask(stream, x);
      const c = await ask(stream, x);
      expect(c.status, "two of this address are waiting already").toBe(429);
      const d = ask(stream, { ...x, client: "192.0.2.2" });
      open(session);
      const joined = await Promise.all([a, b, d]);
      expect(joined.map((r) => r.status)).toEqual([200, 200, 200]);
      expect((await stream.status()).viewers).toBe(3);
      for (const r of joined) await r.body?.cancel();
      await until("all gone", async () => (await stream.status()).viewers === 0);
      // Nothing of the wait is left over: the address has its two places again.
      const again = await Promise.all([ask(stream, x), ask(stream, x)]);
      expect(again.map((r) => r.status)).toEqual([200, 200]);
      expect((await ask(stream, x)).status).toBe(429);
    });
  });

  it("keeps the origin connection GRACE_MS after the last viewer left, unless a viewer comes back meanwhile", async () => {
    await withStream("grace", async (stream, origin) => {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      const first = await ask(stream);
      await first.body?.cancel();
      await until("gone", async () => (await stream.status()).viewers === 0);
      vi.advanceTimersByTime(GRACE_MS - 100);
      // Back within the grace period: the connection stays, however long this viewer watches.
      const second = await ask(stream);
      expect(second.status).toBe(200);
      vi.advanceTimersByTime(GRACE_MS * 2);
      expect(origin.closed).toBe(false);
      expect((await stream.status()).origin).toBe("origin.test:1935");
      await second.body?.cancel();
      await until("gone again", async () => (await stream.status()).viewers === 0);
      vi.advanceTimersByTime(GRACE_MS - 1);
      expect(origin.closed).toBe(false);
      vi.advanceTimersByTime(1);
      vi.useRealTimers();
      await until("the origin connection closed", () => origin.closed);
      expect((await stream.status()).origin).toBeNull();
    });
  });

  it("logs each viewer joining and leaving with the stream's name and the number watching", async () => {
    const info = vi.spyOn(console, "info");
    await withStream("logs", async (stream) => {
      const res = await ask(stream, { websocket: true });
      socketViewer(res).ws.close(1000, "bye");
      await until("gone", async () => (await stream.status()).viewers === 0);
    });
    expect(logRecords(info, "live_viewer_joined")).toEqual([
      { event: "live_viewer_joined", stream: "live/cam", kind: "websocket", viewers: 1 },
    ]);
    expect(logRecords(info, "live_viewer_left")).toEqual([
      { event: "live_viewer_left", stream: "live/cam", kind: "websocket", viewers: 0 },
    ]);
  });

  it("tries the origins again for each viewer after a failed connection (no stale attempt is reused)", async () => {
    const info = vi.spyOn(console, "info");
    const stub = env.LIVE_STREAMS.get(env.LIVE_STREAMS.idFromName("no-origin"));
    await runInDurableObject(stub, async (stream: LiveStream) => {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      for (let i = 0; i < 2; i++) {
        const res = await ask(stream, { websocket: true });
        expect(res.status).toBe(502);
        expect(await res.text()).toBe("Stream origin unavailable\n");
      }
      // The grace period after a failed attempt passes quietly: there is no connection to close.
      expect(() => vi.advanceTimersByTime(GRACE_MS)).not.toThrow();
    });
    expect(logRecords(info, "live_origin_failed")).toEqual([
      { event: "live_origin_failed", stream: "live/cam", failures: [] },
      { event: "live_origin_failed", stream: "live/cam", failures: [] },
    ]);
  });

  it("opens the first origin that accepts for the first viewer, and plays from it", async () => {
    const info = vi.spyOn(console, "info");
    const stub = env.LIVE_STREAMS.get(env.LIVE_STREAMS.idFromName("open"));
    await runInDurableObject(stub, async (stream: LiveStream) => {
      const origin = new ScriptedOrigin();
      const refused = {
        opened: Promise.reject(new Error("connection refused")),
        readable: new ReadableStream(),
        writable: new WritableStream(),
        close: async () => {},
      };
      refused.opened.catch(() => {});
      const asked: string[] = [];
      (stream as unknown as { openSocket: (a: { hostname: string }) => unknown }).openSocket = ({ hostname }) => {
        asked.push(hostname);
        return hostname === "down.test" ? refused : origin;
      };
      const origins = [
        { host: "down.test", port: 1935 },
        { host: "up.test", port: 1935 },
      ];
      const res = await ask(stream, { websocket: true, origins });
      expect(res.status).toBe(101);
      const ws = socketViewer(res);
      await origin.start();
      origin.send(video(0, AVC_CONFIG), video(0, KEYFRAME));
      await until("the stream", () => ws.messages.length >= 3);
      expect(asked).toEqual(["down.test", "up.test"]);
      expect(await stream.status()).toMatchObject({ viewers: 1, origin: "up.test:1935", keyframe: true });
      // A second viewer shares that connection.
      expect((await ask(stream, { origins })).status).toBe(200);
      expect(asked).toHaveLength(2);
    });
    expect(logRecords(info, "live_origin_open")).toEqual([
      { event: "live_origin_open", stream: "live/cam", origin: "up.test:1935" },
    ]);
  });

  it("drops a WebSocket viewer that does not take its bytes with 1008 once its backlog passes the hard cap", async () => {
    const info = vi.spyOn(console, "info");
    await withStream("slow", async (stream, origin) => {
      origin.send(video(0, AVC_CONFIG), video(0, KEYFRAME));
      await until("the keyframe cached", async () => (await stream.status()).keyframe);
      const fast = socketViewer(await ask(stream, { websocket: true, client: "192.0.2.10" }));
      // The slow one's page side takes nothing: its bytes pile up in the object's socket (bufferedAmount).
      await ask(stream, { websocket: true, client: "192.0.2.11" });
      const closes = vi.spyOn(WebSocket.prototype, "close");
      const big = (ts: number) => {
        const frame = new Uint8Array(HARD_CAP / 2 + 1024);
        frame.set([0x27, 1, 0, 0, 0]);
        return video(ts, frame);
      };
      // One read of two big frames goes out whole (the backlog was small); the next finds it past the cap.
      origin.send(big(40), big(80));
      await until("the big frames sent", () => fast.messages.length >= 4);
      expect((await stream.status()).viewers).toBe(2);
      origin.send(video(120, FRAME));
      await until("the slow viewer dropped", async () => (await stream.status()).viewers === 1);
      expect(closes.mock.calls).toEqual([[1008, "Viewer too slow: dropped"]]);
      expect(logRecords(info, "live_viewer_dropped")).toEqual([
        { event: "live_viewer_dropped", stream: "live/cam", kind: "websocket", buffered: expect.any(Number) },
      ]);
      expect(fast.closed()).toBeNull();
    });
  });
});
