// Pure origin logic: the failover order (worker/rtmpt/rotation.ts), proxy mode's signed sticky tags and
// /open replies (worker/rtmpt/proxy/session-tags.ts).
import { describe, expect, it } from "vitest";
import { SESSION_ID_PATTERN } from "../../worker/rtmpt/protocol";
import {
  MAX_ORIGIN_ID,
  MAX_PUBLIC_ID,
  parseOpenReply,
  TAG_LENGTH,
  tagSessionId,
  untagSessionId,
} from "../../worker/rtmpt/proxy/session-tags";
import { MAX_ORIGINS, rotation } from "../../worker/rtmpt/rotation";

const A = { index: 0, url: new URL("http://a.example:1935") };
const B = { index: 1, url: new URL("https://b.example") };
const C = { index: 2, url: new URL("http://10.0.0.3:5080") };
const origins = [A, B, C];
const SECRET = "unit-test-secret";

describe("rotation (both modes' failover order)", () => {
  it("starts at the chosen origin and wraps around, whatever the counter", () => {
    expect(rotation(["a", "b", "c"], 0)).toEqual(["a", "b", "c"]);
    expect(rotation(["a", "b", "c"], 1)).toEqual(["b", "c", "a"]);
    expect(rotation(["a", "b", "c"], 5)).toEqual(["c", "a", "b"]);
    expect(rotation(["a", "b", "c"], -1)).toEqual(["c", "a", "b"]);
    expect(rotation(["a", "b", "c"], 0xffffffff)).toEqual(["a", "b", "c"]);
    expect(rotation(["a"], 7)).toEqual(["a"]);
    expect(rotation([], 0)).toEqual([]);
  });

  it("bounds the origins by the tag's one hex digit", async () => {
    expect(MAX_ORIGINS).toBe(16);
    const last = { index: MAX_ORIGINS - 1, url: new URL("http://p.example") };
    expect((await tagSessionId(SECRET, last, "abc"))?.charAt(0)).toBe("f");
    expect(await tagSessionId(SECRET, { ...last, index: MAX_ORIGINS }, "abc")).toBeNull();
  });
});

describe("sticky session tags", () => {
  it("round-trips: the public id names its origin and carries the origin's own id", async () => {
    for (const origin of origins) {
      const id = await tagSessionId(SECRET, origin, "H5JQ3XW0ZK1PA");
      expect(id).not.toBeNull();
      expect(id).toMatch(SESSION_ID_PATTERN);
      expect(id?.length).toBe(TAG_LENGTH + 13);
      const back = await untagSessionId(SECRET, origins, id ?? "");
      expect(back).toEqual({ ok: true, origin, originId: "H5JQ3XW0ZK1PA" });
    }
  });

  it("keeps public ids short enough for ffmpeg's 63-byte read of `<id>\\n`", async () => {
    const longest = await tagSessionId(SECRET, A, "x".repeat(MAX_ORIGIN_ID));
    expect(longest?.length).toBe(MAX_PUBLIC_ID);
    expect(MAX_PUBLIC_ID + 1).toBeLessThanOrEqual(63);
    expect(await tagSessionId(SECRET, A, "x".repeat(MAX_ORIGIN_ID + 1))).toBeNull();
  });

  it("refuses origin ids that are not letters and digits", async () => {
    for (const bad of ["", "abc-def", "abc def", "abc/../x", "ä1", "a\n"]) {
      expect(await tagSessionId(SECRET, A, bad), bad).toBeNull();
    }
  });

  it("rejects a forged MAC, a moved index, another secret, or an origin list that changed (404)", async () => {
    const id = (await tagSessionId(SECRET, B, "SESSION42")) ?? "";
    const flipped = id.charAt(5) === "0" ? "1" : "0";
    const forgedMac = `${id.slice(0, 5)}${flipped}${id.slice(6)}`;
    const movedIndex = `2${id.slice(1)}`;
    const otherOriginId = `${id.slice(0, TAG_LENGTH)}SESSION43`;
    for (const forged of [forgedMac, movedIndex, otherOriginId]) {
      expect(await untagSessionId(SECRET, origins, forged), forged).toEqual({
        ok: false,
        status: 404,
        message: "Unknown RTMPT session",
      });
    }
    expect((await untagSessionId("another-secret", origins, id)).ok).toBe(false);
    const changed = [A, { index: 1, url: new URL("https://c.example") }];
    expect((await untagSessionId(SECRET, changed, id)).ok).toBe(false);
    // An index beyond the configured origins.
    expect((await untagSessionId(SECRET, origins.slice(0, 1), id)).ok).toBe(false);
  });

  it("a session already verified still needs its own secret and origin (verdicts are remembered per both)", async () => {
    const id = (await tagSessionId(SECRET, B, "SESSION44")) ?? "";
    expect((await untagSessionId(SECRET, origins, id)).ok).toBe(true);
    expect((await untagSessionId(SECRET, origins, id)).ok).toBe(true);
    expect((await untagSessionId("another-secret", origins, id)).ok).toBe(false);
    const changed = [A, { index: 1, url: new URL("https://c.example") }];
    expect((await untagSessionId(SECRET, changed, id)).ok).toBe(false);
  });

  it("answers 400 for ids that cannot be tagged ids at all", async () => {
    for (const bad of ["", "0abc", "x".repeat(TAG_LENGTH), "y".repeat(MAX_PUBLIC_ID + 1), "0123456789abc-def"]) {
      const r = await untagSessionId(SECRET, origins, bad);
      expect(r, bad).toEqual({ ok: false, status: 400, message: "Bad RTMPT session id" });
    }
  });
});

describe("parseOpenReply", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it("reads Red5/Wowza `<id>\\n`, keeping the origin's line end", () => {
    expect(parseOpenReply(bytes("H5JQ3XW0ZK1PA\n"))).toEqual({ id: "H5JQ3XW0ZK1PA", trailer: "\n" });
    expect(parseOpenReply(bytes("1234567\r\n"))).toEqual({ id: "1234567", trailer: "\r\n" });
    expect(parseOpenReply(bytes("abc"))).toEqual({ id: "abc", trailer: "" });
  });
  it("rejects anything else (HTML error pages, empty, binary, too long)", () => {
    for (const bad of ["", "\n", "<html>oops</html>", "a b\n", "id\n\n", "x".repeat(300)]) {
      expect(parseOpenReply(bytes(bad)), bad).toBeNull();
    }
    expect(parseOpenReply(new Uint8Array([0x01, 0x41, 0x0a]))).toBeNull();
  });
});
