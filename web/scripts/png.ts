/**
 * Minimal PNG encoder (PNG spec, 3rd ed., https://www.w3.org/TR/png-3/): 8-bit RGBA (colour type 6),
 * no interlace, filter type 0 (None) on every scanline, one zlib IDAT. Enough for the flat-colour app
 * icons; node:zlib does the deflate and the CRC-32.
 */
import { crc32, deflateSync } from "node:zlib";
import type { Raster } from "./svg-raster.ts";

export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function encodePng(image: Raster): Buffer {
  const { width, height, rgba } = image;
  if (rgba.length !== width * height * 4) throw new Error("pixel buffer does not match width × height × 4");
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}
