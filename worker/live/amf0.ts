/**
 * AMF0 (Adobe "Action Message Format -- AMF 0", amf0-file-format-specification.pdf, 2007): the value
 * encoding of RTMP command messages (connect, createStream, play, _result, onStatus) and of data
 * messages (onMetaData). Pure, no runtime imports.
 *
 * Decoded values: number (§2.2), boolean (§2.3), string and long string (§2.4, §2.14), object,
 * ECMA array and typed object as plain records (§2.5, §2.10, §2.18), null (§2.7), undefined (§2.8),
 * strict array (§2.12), date (§2.13, time zone ignored as the spec says), XML document as its text
 * (§2.17). References (§2.9), movieclip, recordset and the AMF3 switch (§2.19) are refused: RTMP
 * origins do not send them in the messages a player reads. Depth, counts and lengths are checked
 * against the input, so a hostile message throws an `AmfError` instead of looping or allocating.
 */

import { toHex } from "../shared/hex";

export type AmfValue = number | boolean | string | null | undefined | Date | AmfValue[] | AmfObject | EcmaArray;
export interface AmfObject {
  [key: string]: AmfValue;
}

/** An associative array (marker 0x08) when encoding; decoding gives a plain record. */
export class EcmaArray {
  constructor(readonly entries: AmfObject) {}
}

export class AmfError extends Error {
  override name = "AmfError";
}

const MAX_DEPTH = 32;

const Marker = {
  Number: 0x00,
  Boolean: 0x01,
  String: 0x02,
  Object: 0x03,
  Null: 0x05,
  Undefined: 0x06,
  EcmaArray: 0x08,
  ObjectEnd: 0x09,
  StrictArray: 0x0a,
  Date: 0x0b,
  LongString: 0x0c,
  Xml: 0x0f,
  TypedObject: 0x10,
} as const;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Encodes values one after the other (a command is: name, transaction id, command object, args...). */
export function encodeAmf0(...values: AmfValue[]): Uint8Array {
  const out: number[] = [];
  for (const v of values) write(out, v, 0);
  return Uint8Array.from(out);
}

function pushU16(out: number[], n: number): void {
  out.push((n >>> 8) & 0xff, n & 0xff);
}

function pushU32(out: number[], n: number): void {
  out.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function pushDouble(out: number[], n: number): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, n);
  out.push(...b);
}

function pushKey(out: number[], key: string): void {
  const bytes = utf8.encode(key);
  if (bytes.length > 0xffff) throw new AmfError("object key longer than 65535 bytes");
  pushU16(out, bytes.length);
  for (const b of bytes) out.push(b);
}

function pushProps(out: number[], obj: AmfObject, depth: number): void {
  for (const [k, v] of Object.entries(obj)) {
    pushKey(out, k);
    write(out, v, depth + 1);
  }
  out.push(0, 0, Marker.ObjectEnd);
}

function write(out: number[], v: AmfValue, depth: number): void {
  if (depth > MAX_DEPTH) throw new AmfError("value nested too deeply");
  if (typeof v === "number") {
    out.push(Marker.Number);
    pushDouble(out, v);
  } else if (typeof v === "boolean") {
    out.push(Marker.Boolean, v ? 1 : 0);
  } else if (typeof v === "string") {
    const bytes = utf8.encode(v);
    if (bytes.length > 0xffff) {
      out.push(Marker.LongString);
      pushU32(out, bytes.length);
    } else {
      out.push(Marker.String);
      pushU16(out, bytes.length);
    }
    for (const b of bytes) out.push(b);
  } else if (v === null) {
    out.push(Marker.Null);
  } else if (v === undefined) {
    out.push(Marker.Undefined);
  } else if (v instanceof Date) {
    out.push(Marker.Date);
    pushDouble(out, v.getTime());
    pushU16(out, 0);
  } else if (Array.isArray(v)) {
    out.push(Marker.StrictArray);
    pushU32(out, v.length);
    for (const item of v) write(out, item, depth + 1);
  } else if (v instanceof EcmaArray) {
    out.push(Marker.EcmaArray);
    pushU32(out, Object.keys(v.entries).length);
    pushProps(out, v.entries, depth);
  } else {
    out.push(Marker.Object);
    pushProps(out, v, depth);
  }
}

/** Decodes every value in `bytes` (throws `AmfError` on anything malformed or truncated). */
export function decodeAmf0(bytes: Uint8Array): AmfValue[] {
  const r = new Reader(bytes);
  const values: AmfValue[] = [];
  while (r.pos < bytes.length) values.push(r.value(0));
  return values;
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new AmfError("truncated AMF0 value");
  }
  private u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }
  private u16(): number {
    this.need(2);
    const n = this.view.getUint16(this.pos);
    this.pos += 2;
    return n;
  }
  private u32(): number {
    this.need(4);
    const n = this.view.getUint32(this.pos);
    this.pos += 4;
    return n;
  }
  private double(): number {
    this.need(8);
    const n = this.view.getFloat64(this.pos);
    this.pos += 8;
    return n;
  }
  private text(length: number): string {
    this.need(length);
    const s = fromUtf8.decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return s;
  }

  /** Properties up to the empty key + object-end marker. */
  private props(depth: number): AmfObject {
    const obj: AmfObject = Object.create(null);
    for (;;) {
      const key = this.text(this.u16());
      if (key === "" && this.bytes[this.pos] === Marker.ObjectEnd) {
        this.pos++;
        return obj;
      }
      obj[key] = this.value(depth + 1);
    }
  }

  value(depth: number): AmfValue {
    if (depth > MAX_DEPTH) throw new AmfError("value nested too deeply");
    const marker = this.u8();
    switch (marker) {
      case Marker.Number:
        return this.double();
      case Marker.Boolean:
        return this.u8() !== 0;
      case Marker.String:
        return this.text(this.u16());
      case Marker.LongString:
      case Marker.Xml:
        return this.text(this.u32());
      case Marker.Object:
        return this.props(depth);
      case Marker.TypedObject:
        this.text(this.u16()); // class name
        return this.props(depth);
      case Marker.EcmaArray:
        this.u32(); // count: a hint only, the properties end with the object-end marker
        return this.props(depth);
      case Marker.Null:
        return null;
      case Marker.Undefined:
        return undefined;
      case Marker.StrictArray: {
        const count = this.u32();
        // Each value takes at least one byte: a count beyond the input is a lie, not an allocation.
        if (count > this.bytes.length - this.pos) throw new AmfError("strict array count exceeds the message");
        const items: AmfValue[] = [];
        for (let i = 0; i < count; i++) items.push(this.value(depth + 1));
        return items;
      }
      case Marker.Date: {
        const time = this.double();
        this.u16(); // time zone: "should be set to 0x0000" and ignored (§2.13)
        return new Date(time);
      }
      default:
        throw new AmfError(`unsupported AMF0 marker 0x${toHex([marker])}`);
    }
  }
}
