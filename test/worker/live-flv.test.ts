// FLV muxing (video_file_format_spec_v10 Annex E), the cache a new viewer starts from, and the slow-viewer rule.
import { describe, expect, it } from "vitest";
import { decodeAmf0, EcmaArray, encodeAmf0 } from "../../worker/live/amf0";
import { flvHeader, flvTag, metadataBody, splitAggregate, tagRole } from "../../worker/live/flv";
import { GopCache, makeTag, type Tag } from "../../worker/live/gop-cache";
import { HARD_CAP, HIGH_WATER, MAX_LAG_MS, Viewer, type ViewerSink } from "../../worker/live/viewer";

const AVC_CONFIG = Uint8Array.of(0x17, 0, 0, 0, 0, 1, 0x64);
const AVC_KEY = (n = 100) => Uint8Array.from([0x17, 1, 0, 0, 0, ...new Uint8Array(n)]);
const AVC_INTER = (n = 50) => Uint8Array.from([0x27, 1, 0, 0, 0, ...new Uint8Array(n)]);
const AAC_CONFIG = Uint8Array.of(0xaf, 0, 0x12, 0x10);
const AAC_FRAME = Uint8Array.of(0xaf, 1, 1, 2, 3);
const tag = (type: number, ts: number, body: Uint8Array): Tag => makeTag(type, ts, body, tagRole(type, body));

describe("FLV muxing", () => {
  it("writes the header with PreviousTagSize0 and tags with their PreviousTagSize (E.2, E.3, E.4.1)", () => {
    expect([...flvHeader(true, true)]).toEqual([0x46, 0x4c, 0x56, 1, 5, 0, 0, 0, 9, 0, 0, 0, 0]);
    expect(flvHeader(false, true)[4]).toBe(1);
    const t = flvTag(9, 0x12345678, Uint8Array.of(0xaa, 0xbb));
    // type, size 2, timestamp low 24 bits then the extended upper 8, stream id 0, body, 11 + 2.
    expect([...t]).toEqual([9, 0, 0, 2, 0x34, 0x56, 0x78, 0x12, 0, 0, 0, 0xaa, 0xbb, 0, 0, 0, 13]);
  });

  it("knows sequence headers and keyframes, legacy and enhanced RTMP", () => {
    expect(tagRole(9, AVC_CONFIG)).toBe("video-config");
    expect(tagRole(9, AVC_KEY())).toBe("keyframe");
    expect(tagRole(9, AVC_INTER())).toBe("frame");
    expect(tagRole(8, AAC_CONFIG)).toBe("audio-config");
    expect(tagRole(8, AAC_FRAME)).toBe("audio");
    // Enhanced RTMP: IsExHeader | FrameType 1 | PacketType, then FourCC "hvc1".
    expect(tagRole(9, Uint8Array.of(0x90, 0x68, 0x76, 0x63, 0x31))).toBe("video-config");
    expect(tagRole(9, Uint8Array.of(0x91, 0x68, 0x76, 0x63, 0x31))).toBe("keyframe");
    expect(tagRole(18, encodeAmf0("onMetaData", {}))).toBe("metadata");
  });

  it("reduces @setDataFrame onMetaData to onMetaData and ignores other data messages", () => {
    const meta = new EcmaArray({ width: 320, height: 240 });
    const body = metadataBody(encodeAmf0("@setDataFrame", "onMetaData", meta)) as Uint8Array;
    expect(decodeAmf0(body)[0]).toBe("onMetaData");
    expect({ ...(decodeAmf0(body)[1] as object) }).toEqual({ width: 320, height: 240 });
    expect(metadataBody(encodeAmf0("|RtmpSampleAccess", false, false))).toBeNull();
    expect(metadataBody(Uint8Array.of(0x02, 0, 50))).toBeNull();
  });

  it("splits an aggregate message into its tags, timestamps rebased on the aggregate's", () => {
    const a = flvTag(9, 5000, AVC_KEY(3));
    const b = flvTag(8, 5023, AAC_FRAME);
    const parts = splitAggregate(100, Uint8Array.from([...a, ...b]));
    expect(parts.map((p) => [p.type, p.timestamp, p.body.length])).toEqual([
      [9, 100, 8],
      [8, 123, 5],
    ]);
  });
});

describe("GOP cache", () => {
  it("a new viewer starts with header, metadata, sequence headers at the keyframe's time, then the group from the keyframe", () => {
    const cache = new GopCache(1 << 20);
    const meta = tag(18, 0, encodeAmf0("onMetaData", {}));
    for (const t of [meta, tag(9, 0, AVC_CONFIG), tag(8, 0, AAC_CONFIG), tag(9, 0, AVC_KEY()), tag(9, 40, AVC_INTER())]) {
      cache.add(t);
    }
    const key = tag(9, 1000, AVC_KEY());
    const inter = tag(9, 1040, AVC_INTER());
    const audio = tag(8, 1050, AAC_FRAME);
    for (const t of [key, inter, audio]) cache.add(t);
    const start = cache.start();
    expect(start[0]).toEqual(flvHeader(true, true));
    expect(start[1]).toEqual(meta.bytes);
    expect(start[2]).toEqual(flvTag(9, 1000, AVC_CONFIG));
    expect(start[3]).toEqual(flvTag(8, 1000, AAC_CONFIG));
    expect(start.slice(4)).toEqual([key.bytes, inter.bytes, audio.bytes]);
    expect(cache.hasKeyframe).toBe(true);
  });

  it("holds nothing before the first keyframe, and drops a group that outgrows its byte cap", () => {
    const cache = new GopCache(1000);
    cache.add(tag(9, 0, AVC_INTER()));
    expect(cache.hasKeyframe).toBe(false);
    expect(cache.start()).toHaveLength(1);
    cache.add(tag(9, 40, AVC_KEY(400)));
    cache.add(tag(9, 80, AVC_INTER(400)));
    expect(cache.hasKeyframe).toBe(true);
    cache.add(tag(9, 120, AVC_INTER(400)));
    expect(cache.hasKeyframe).toBe(false);
    expect(cache.bytes).toBe(0);
    cache.add(tag(9, 160, AVC_INTER(10)));
    expect(cache.bytes).toBe(0);
  });
});

class FakeSink implements ViewerSink {
  readonly kind = "websocket";
  sent: Uint8Array[] = [];
  backlog = 0;
  send(b: Uint8Array) {
    this.sent.push(b);
  }
  buffered() {
    return this.backlog;
  }
  close() {}
}

describe("slow viewers", () => {
  it("a viewer that joined before any keyframe gets configuration, then starts at the first keyframe", () => {
    const sink = new FakeSink();
    const v = new Viewer(sink, "c");
    v.start([flvHeader(true, true)], false);
    expect(v.offer(tag(9, 0, AVC_INTER()), 0)).toBe("ok");
    expect(v.offer(tag(9, 0, AVC_CONFIG), 0)).toBe("ok");
    expect(v.offer(tag(9, 40, AVC_KEY()), 0)).toBe("ok");
    expect(v.offer(tag(9, 80, AVC_INTER()), 0)).toBe("ok");
    expect(sink.sent.map((b) => b[0])).toEqual([0x46, 9, 9, 9]);
    expect(sink.sent[2]?.[11]).toBe(0x17);
  });

  it("skips ahead while its backlog is over the high water mark, resumes at a keyframe once drained", () => {
    const sink = new FakeSink();
    const v = new Viewer(sink, "c");
    v.start([], true);
    sink.backlog = HIGH_WATER + 1;
    v.offer(tag(9, 40, AVC_INTER()), 1000);
    v.offer(tag(8, 41, AAC_FRAME), 1000);
    v.offer(tag(9, 80, AVC_KEY()), 1000); // still backed up: not even the keyframe
    expect(sink.sent).toHaveLength(0);
    v.offer(tag(9, 90, AVC_CONFIG), 1000); // configuration always goes through
    expect(sink.sent).toHaveLength(1);
    sink.backlog = 0;
    v.offer(tag(9, 120, AVC_INTER()), 2000); // drained, but not at a keyframe yet
    expect(sink.sent).toHaveLength(1);
    v.offer(tag(9, 160, AVC_KEY()), 2000);
    v.offer(tag(9, 200, AVC_INTER()), 2000);
    expect(sink.sent).toHaveLength(3);
    expect(v.state).toBe("live");
    expect(v.behindSince).toBeNull();
  });

  it("takes the tags of one origin read as one send while it keeps up, tag by tag once behind", () => {
    const sink = new FakeSink();
    const v = new Viewer(sink, "c");
    v.start([], true);
    const read = [tag(9, 40, AVC_INTER()), tag(8, 41, AAC_FRAME), tag(9, 80, AVC_INTER())];
    const joined = Uint8Array.from(read.flatMap((t) => [...t.bytes]));
    expect(v.offerAll(read, joined, 0)).toBe("ok");
    expect(sink.sent).toEqual([joined]);
    // Behind: the same rules as one tag at a time (skip to the next keyframe; configuration passes).
    sink.backlog = HIGH_WATER + 1;
    expect(v.offerAll([tag(9, 120, AVC_INTER()), tag(9, 130, AVC_CONFIG)], joined, 1000)).toBe("ok");
    expect(sink.sent).toHaveLength(2);
    expect(sink.sent[1]?.[11]).toBe(0x17);
    expect(v.state).toBe("waiting-key");
    sink.backlog = HARD_CAP + 1;
    expect(v.offerAll(read, joined, 1000)).toBe("drop");
  });

  it("is dropped when it stays behind for MAX_LAG_MS or its backlog passes the hard cap", () => {
    const sink = new FakeSink();
    const v = new Viewer(sink, "c");
    v.start([], true);
    sink.backlog = HIGH_WATER + 1;
    expect(v.offer(tag(9, 40, AVC_INTER()), 0)).toBe("ok");
    expect(v.offer(tag(9, 80, AVC_INTER()), MAX_LAG_MS)).toBe("ok");
    expect(v.offer(tag(9, 120, AVC_INTER()), MAX_LAG_MS + 1)).toBe("drop");
    const other = new Viewer(new FakeSink(), "c");
    other.start([], true);
    (other.sink as FakeSink).backlog = HARD_CAP + 1;
    expect(other.offer(tag(9, 40, AVC_INTER()), 0)).toBe("drop");
  });
});
