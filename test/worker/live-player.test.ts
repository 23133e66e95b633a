// The RTMP play client against an in-memory origin that answers as nginx-rtmp does (handshake S0+S1+S2,
// Window Acknowledgement Size, Set Peer Bandwidth, Set Chunk Size, _result, onStatus, pings, media,
// UnpublishNotify). The real origin (nginx-rtmp) is in test/e2e/live-flv.test.ts.
import { describe, expect, it } from "vitest";
import { type AmfObject, decodeAmf0, encodeAmf0 } from "../../worker/live/amf0";
import type { RtmpMessage } from "../../worker/live/chunk-reader";
import { encodeChunks, USER_CONTROL, userControl, windowAckSize } from "../../worker/live/chunk-writer";
import { type PlayEnd, RtmpPlayer } from "../../worker/live/rtmp-player";
import { MemoryOrigin, until as waitUntil } from "./live-memory-origin";
import { setChunkSize } from "./live-origin-messages";

/** Each step of the play client comes within about 2 s. */
const until = (what: string, pred: () => boolean) => waitUntil(what, pred, 2000);

/** A player of live/s against a fresh MemoryOrigin, running; `end()` is how it ended, once it did. */
function playing() {
  const origin = new MemoryOrigin();
  let ended: PlayEnd | null = null;
  const player = new RtmpPlayer(
    origin,
    { tcUrl: "rtmp://127.0.0.1:1935/live", app: "live", stream: "s" },
    {
      media: () => {},
      ended: (e) => {
        ended = e;
      },
    },
  );
  return { origin, running: player.run(), end: () => ended as PlayEnd | null };
}

const command = (name: string, txn: number, ...rest: Parameters<typeof encodeAmf0>) =>
  encodeChunks({ chunkStreamId: 3, typeId: 20, streamId: 0, timestamp: 0, payload: encodeAmf0(name, txn, ...rest) }, 4096);
const commands = (o: MemoryOrigin) =>
  o
    .clientMessages()
    .filter((m) => m.typeId === 20)
    .map((m) => decodeAmf0(m.payload));

describe("RTMP play client", () => {
  it("handshakes, connects, creates a stream, plays, acknowledges, answers pings and ends on UnpublishNotify", async () => {
    const origin = new MemoryOrigin();
    const media: [number, number, number][] = [];
    let end: PlayEnd | null = null;
    let playing = false;
    const player = new RtmpPlayer(
      origin,
      { tcUrl: "rtmp://127.0.0.1:1935/live", app: "live", stream: "cam1" },
      {
        media: (type, ts, body) => media.push([type, ts, body.length]),
        playing: () => {
          playing = true;
        },
        ended: (e) => {
          end = e;
        },
      },
    );
    const running = player.run();

    await until("C0+C1", () => origin.fromClient.length >= 1537);
    expect(origin.fromClient[0]).toBe(3);
    expect(origin.fromClient.slice(5, 9)).toEqual([0, 0, 0, 0]); // zero version bytes: plain handshake
    const c1 = origin.fromClient.slice(1, 1537);
    const s1 = Array.from({ length: 1536 }, (_, i) => (i * 7) & 0xff);
    origin.send([3, ...s1, ...c1]); // S0 + S1 + S2 (= C1, as nginx-rtmp's old-style handshake)
    await until("C2 and connect", () => commands(origin).length >= 1);
    expect(origin.fromClient.slice(1537, 1537 + 4)).toEqual(s1.slice(0, 4)); // C2 echoes S1's time...
    expect(origin.fromClient.slice(1537 + 8, 1537 + 1536)).toEqual(s1.slice(8)); // ...and its random bytes
    const [name, txn, obj] = commands(origin)[0] ?? [];
    expect([name, txn]).toEqual(["connect", 1]);
    expect(obj).toMatchObject({ app: "live", tcUrl: "rtmp://127.0.0.1:1935/live", flashVer: "LNX 9,0,124,2" });

    origin.send(windowAckSize(1000));
    origin.send(
      encodeChunks({ chunkStreamId: 2, typeId: 6, streamId: 0, timestamp: 0, payload: Uint8Array.of(0, 0, 0x13, 0x88, 2) }, 128),
    );
    origin.send(setChunkSize(4096, 128));
    origin.send(command("_result", 1, { fmsVer: "FMS/3,0,1,123" }, { code: "NetConnection.Connect.Success", level: "status" }));
    await until("createStream", () => commands(origin).length >= 2);
    expect(commands(origin)[1]?.slice(0, 2)).toEqual(["createStream", 2]);
    // Set Peer Bandwidth 5000 answered with the client's window (§5.4.5).
    expect(origin.clientMessages().some((m) => m.typeId === 5 && m.payload[2] === 0x13 && m.payload[3] === 0x88)).toBe(true);

    origin.send(command("_result", 2, null, 1));
    await until("play", () => commands(origin).length >= 3);
    const play = origin.clientMessages().find((m) => m.typeId === 20 && decodeAmf0(m.payload)[0] === "play") as RtmpMessage;
    expect(play.streamId).toBe(1);
    expect(decodeAmf0(play.payload)).toEqual(["play", 0, null, "cam1", -1]);

    origin.send(
      encodeChunks(
        {
          chunkStreamId: 5,
          typeId: 20,
          streamId: 1,
          timestamp: 0,
          payload: encodeAmf0("onStatus", 0, null, { level: "status", code: "NetStream.Play.Start" }),
        },
        4096,
      ),
    );
    origin.send(userControl(USER_CONTROL.PingRequest, 12345));
    await until("ping response", () => origin.clientMessages().some((m) => m.typeId === 4 && m.payload[1] === 7));
    const pong = origin.clientMessages().find((m) => m.typeId === 4 && m.payload[1] === 7) as RtmpMessage;
    expect(new DataView(pong.payload.buffer, pong.payload.byteOffset).getUint32(2)).toBe(12345);
    expect(playing).toBe(true);

    const frame = Uint8Array.from([0x17, 1, 0, 0, 0, ...new Uint8Array(3000)]);
    origin.send(encodeChunks({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: 40, payload: frame }, 4096));
    origin.send(
      encodeChunks(
        {
          chunkStreamId: 5,
          typeId: 18,
          streamId: 1,
          timestamp: 0,
          payload: encodeAmf0("@setDataFrame", "onMetaData", { width: 320 }),
        },
        4096,
      ),
    );
    await until("media", () => media.length >= 2);
    expect(media).toEqual([
      [9, 40, 3005],
      [18, 0, expect.any(Number)],
    ]);
    // More than the 1000-byte window arrived: an Acknowledgement with the byte count (§5.4.3).
    const ack = origin.clientMessages().find((m) => m.typeId === 3) as RtmpMessage;
    expect(new DataView(ack.payload.buffer, ack.payload.byteOffset).getUint32(0)).toBeGreaterThan(3000);

    origin.send(
      encodeChunks(
        {
          chunkStreamId: 5,
          typeId: 20,
          streamId: 1,
          timestamp: 0,
          payload: encodeAmf0("onStatus", 0, null, { level: "status", code: "NetStream.Play.UnpublishNotify" } as AmfObject),
        },
        4096,
      ),
    );
    await until("end", () => end !== null);
    expect(end).toEqual({ reason: "unpublished", detail: "NetStream.Play.UnpublishNotify" });
    expect(origin.closed).toBe(true);
    player.stop();
    origin.send([0]);
    await running;
  });

  it("ends with protocol_error on a server of another RTMP version and origin_closed when the socket ends", async () => {
    for (const [bytes, reason] of [
      [[6, ...new Uint8Array(3072)], "protocol_error"],
      [[], "origin_closed"],
    ] as const) {
      const { origin, running, end } = playing();
      if (bytes.length) origin.send([...bytes]);
      else origin.hangUp();
      await running;
      expect(end()?.reason).toBe(reason);
    }
  });

  it("ends as rejected, with the origin's description, when it answers connect with _error", async () => {
    const { origin, running, end } = playing();
    await until("C0+C1", () => origin.fromClient.length >= 1537);
    origin.send([3, ...new Uint8Array(1536), ...origin.fromClient.slice(1, 1537)]);
    await until("connect", () => commands(origin).length >= 1);
    // nginx-rtmp's answer to a connect its access rules refuse (ngx_rtmp_cmd_module: NetConnection.Connect.Rejected).
    origin.send(
      command("_error", 1, null, { level: "error", code: "NetConnection.Connect.Rejected", description: "Connection rejected" }),
    );
    await until("the end", () => end() !== null);
    origin.hangUp();
    await running;
    expect(end()).toEqual({ reason: "rejected", detail: "Connection rejected" });
  });
});
