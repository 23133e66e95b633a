import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { ICONS, renderIcons } from "../../../web/scripts/icons";

const PUBLIC = join(import.meta.dirname, "../../../web/public");
const svg = (name: string) => readFileSync(join(PUBLIC, name), "utf8");

/** CRC-32 (ISO 3309, as PNG uses it), written out here so the encoder's CRCs are checked independently. */
function crc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Splits a PNG into chunks, checking the signature and every CRC. */
function chunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: Array<{ type: string; data: Buffer }> = [];
  let o = 8;
  while (o < png.length) {
    const len = png.readUInt32BE(o);
    const type = png.toString("latin1", o + 4, o + 8);
    const data = png.subarray(o + 8, o + 8 + len);
    expect(png.readUInt32BE(o + 8 + len), `CRC of ${type}`).toBe(crc(png.subarray(o + 4, o + 8 + len)));
    out.push({ type, data });
    o += 12 + len;
  }
  return out;
}

interface Raster {
  rgba: Uint8Array;
  width: number;
  height: number;
}

/** Decodes a PNG to RGBA pixels (sharp reads it back; the chunk walk above checks the container). */
async function decode(png: Buffer): Promise<Raster> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(4);
  return { rgba: data, width: info.width, height: info.height };
}

function pixel(png: Raster, x: number, y: number): number[] {
  const o = (y * png.width + x) * 4;
  return [...png.rgba.subarray(o, o + 4)];
}

const NAVY = [0x0b, 0x39, 0x54, 255];
const BRASS = [0xe0, 0xa5, 0x26, 255];
const GLASS = [0x8f, 0xd3, 0xf4, 255];
const WHITE = [255, 255, 255, 255];

describe("rendered icons", () => {
  let built: Map<string, Buffer>;
  let any: Raster;
  let maskable: Raster;
  beforeAll(async () => {
    built = await renderIcons(PUBLIC);
    any = await decode(built.get("icons/icon-512.png") as Buffer);
    maskable = await decode(built.get("icons/maskable-512.png") as Buffer);
  });

  it("writes every icon as a valid 8-bit RGBA PNG of its size", () => {
    expect([...built.keys()]).toEqual(ICONS.map((i) => i.file));
    for (const icon of ICONS) {
      const list = chunks(built.get(icon.file) as Buffer);
      expect(list[0]?.type).toBe("IHDR");
      expect(list.at(-1)?.type).toBe("IEND");
      const ihdr = list[0]?.data as Buffer;
      // width, height, bit depth 8, colour type 6 (truecolour with alpha), no interlace
      expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[12]], icon.file).toEqual([
        icon.size,
        icon.size,
        8,
        6,
        0,
      ]);
      // One filter byte and size × 4 bytes per scanline.
      const idat = Buffer.concat(list.filter((c) => c.type === "IDAT").map((c) => c.data));
      expect(inflateSync(idat).length, icon.file).toBe((icon.size * 4 + 1) * icon.size);
    }
  });

  it("paints the art where the SVG puts it", () => {
    expect(pixel(any, 256, 242)).toEqual(NAVY); // middle typing dot
    expect(pixel(any, 200, 210)).toEqual(WHITE); // speech bubble
    expect(pixel(any, 256, 150)).toEqual(GLASS); // glass above the bubble
    expect(pixel(any, 256, 80)).toEqual(BRASS); // the ring
    expect(pixel(any, 30, 256)).toEqual(NAVY); // background
  });

  it("scales the art with the icon size", async () => {
    const small = await decode(built.get("icons/icon-192.png") as Buffer);
    expect(pixel(small, 96, 91)).toEqual(NAVY); // middle typing dot (256, 242) × 192/512
    expect(pixel(small, 96, 30)).toEqual(BRASS); // the ring (256, 80) × 192/512
  });

  it("leaves the rounded corners of the 'any' icon transparent and fills the maskable one", () => {
    expect(pixel(any, 0, 0)[3]).toBe(0);
    expect(pixel(any, 511, 511)[3]).toBe(0);
    expect(pixel(maskable, 0, 0)).toEqual(NAVY);
    expect(pixel(maskable, 511, 511)).toEqual(NAVY);
  });

  it("anti-aliases edges with partial coverage", () => {
    // The rounded corner of the 512 icon (rx 112) crosses the diagonal near (33, 33).
    const alphas = Array.from({ length: 10 }, (_, i) => pixel(any, 28 + i, 28 + i)[3] as number);
    expect(alphas.some((a) => a > 0 && a < 255)).toBe(true);
  });

  it("keeps the maskable art inside the safe zone (a circle of radius 40% of the icon)", () => {
    // Every pixel whose square lies wholly outside the safe circle is plain background.
    const c = maskable.width / 2;
    const safe = 0.4 * maskable.width;
    let outside = 0;
    for (let y = 0; y < maskable.height; y++) {
      for (let x = 0; x < maskable.width; x++) {
        if (Math.hypot(x + 0.5 - c, y + 0.5 - c) - Math.SQRT1_2 <= safe) continue;
        outside++;
        const p = pixel(maskable, x, y);
        if (p.some((v, i) => v !== NAVY[i])) expect(p, `pixel (${x}, ${y})`).toEqual(NAVY);
      }
    }
    expect(outside).toBeGreaterThan(0.4 * maskable.width * maskable.height);
  });
});

describe("web app manifest", () => {
  const manifest = JSON.parse(svg("manifest.webmanifest")) as {
    name: string;
    short_name: string;
    start_url: string;
    scope: string;
    display: string;
    theme_color: string;
    background_color: string;
    description: string;
    icons: Array<{ src: string; sizes: string; type: string; purpose: string }>;
  };

  it("has the fields an installable app needs", () => {
    expect(manifest).toMatchObject({ start_url: "/", scope: "/", display: "standalone" });
    expect(manifest.name.length).toBeGreaterThan(0);
    expect(manifest.short_name.length).toBeLessThanOrEqual(12);
    expect(manifest.description.length).toBeGreaterThan(0);
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it("lists exactly the generated PNG icons, with their real sizes and purposes", async () => {
    const pngs = manifest.icons.filter((i) => i.type === "image/png");
    const built = await renderIcons(PUBLIC);
    for (const icon of pngs) {
      const spec = ICONS.find((s) => `/${s.file}` === icon.src);
      expect(spec, icon.src).toBeDefined();
      expect(icon.sizes).toBe(`${spec?.size}x${spec?.size}`);
      expect(icon.purpose).toBe(spec?.source === "icon-maskable.svg" ? "maskable" : "any");
      const ihdr = chunks(built.get(spec?.file ?? "") as Buffer)[0]?.data as Buffer;
      expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)]).toEqual([spec?.size, spec?.size]);
    }
    for (const purpose of ["any", "maskable"]) {
      for (const size of ["192x192", "512x512"]) {
        expect(
          pngs.some((i) => i.purpose === purpose && i.sizes === size),
          `${purpose} ${size}`,
        ).toBe(true);
      }
    }
  });
});
