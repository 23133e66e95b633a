// AMF0 (amf0-file-format-specification): encoding and decoding of the values RTMP commands carry.
import { describe, expect, it } from "vitest";
import { AmfError, decodeAmf0, EcmaArray, encodeAmf0 } from "../../worker/live/amf0";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("AMF0", () => {
  it("encodes the markers of §2: number, boolean, string, null, undefined, object, strict array", () => {
    expect(hex(encodeAmf0(1))).toBe("003ff0000000000000");
    expect(hex(encodeAmf0(true, false))).toBe("01010100");
    expect(hex(encodeAmf0("play"))).toBe("020004706c6179");
    expect(hex(encodeAmf0(null, undefined))).toBe("0506");
    expect(hex(encodeAmf0({ a: 1 }))).toBe(`0300016100${"3ff0000000000000"}000009`);
    expect(hex(encodeAmf0([true]))).toBe("0a000000010101");
    expect(hex(encodeAmf0(new EcmaArray({ w: 2 })))).toBe(`080000000100017700${"4000000000000000"}000009`);
  });

  it("a string over 65535 bytes becomes a long string (§2.14)", () => {
    const long = "x".repeat(70_000);
    const bytes = encodeAmf0(long);
    expect(bytes[0]).toBe(0x0c);
    expect(decodeAmf0(bytes)).toEqual([long]);
  });

  it("round-trips a connect command as librtmp sends it", () => {
    const values = [
      "connect",
      1,
      { app: "live", flashVer: "LNX 9,0,124,2", tcUrl: "rtmp://127.0.0.1:1935/live", fpad: false, capabilities: 15 },
    ];
    const decoded = decodeAmf0(encodeAmf0(...values));
    expect(decoded.slice(0, 2)).toEqual(["connect", 1]);
    expect({ ...(decoded[2] as object) }).toEqual(values[2]);
  });

  it("decodes nginx-rtmp's onStatus, an ECMA array (onMetaData), a typed object, a date and UTF-8", () => {
    const status = encodeAmf0("onStatus", 0, null, { level: "status", code: "NetStream.Play.Start", description: "Start live" });
    expect(decodeAmf0(status)[3]).toMatchObject({ code: "NetStream.Play.Start", level: "status" });
    const meta = decodeAmf0(encodeAmf0("onMetaData", new EcmaArray({ width: 320, height: 240, encoder: "Lavf" })));
    expect({ ...(meta[1] as object) }).toEqual({ width: 320, height: 240, encoder: "Lavf" });
    // 0x10 typed object: class name "C", then properties like an object.
    const typed = Uint8Array.from([0x10, 0, 1, 0x43, 0, 1, 0x6b, 0x01, 1, 0, 0, 9]);
    expect({ ...(decodeAmf0(typed)[0] as object) }).toEqual({ k: true });
    const when = new Date(Date.UTC(2026, 11, 1));
    expect(decodeAmf0(encodeAmf0(when))).toEqual([when]);
    expect(decodeAmf0(encodeAmf0("Grüße ✓"))).toEqual(["Grüße ✓"]);
  });

  it("refuses malformed input with AmfError instead of crashing or allocating", () => {
    expect(() => decodeAmf0(Uint8Array.from([0x00, 1, 2]))).toThrow(AmfError); // truncated number
    expect(() => decodeAmf0(Uint8Array.from([0x02, 0, 9, 0x61]))).toThrow(AmfError); // string longer than input
    expect(() => decodeAmf0(Uint8Array.from([0x07, 0, 1]))).toThrow(/unsupported AMF0 marker 0x07/); // reference
    expect(() => decodeAmf0(Uint8Array.from([0x11]))).toThrow(/0x11/); // AMF3 switch
    expect(() => decodeAmf0(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 5]))).toThrow(/count exceeds/);
    expect(() => decodeAmf0(Uint8Array.from([0x03, 0, 1, 0x61, 0x05]))).toThrow(AmfError); // object without end
    expect(() => decodeAmf0(Uint8Array.from([...Array(40)].flatMap(() => [0x0a, 0, 0, 0, 1])))).toThrow(/nested too deeply/);
  });
});
