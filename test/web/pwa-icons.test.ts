import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ICONS, renderIcons } from "../../web/scripts/icons";
import { encodePng } from "../../web/scripts/png";
import { contains, parseSvg, rasterize, type Shape } from "../../web/scripts/svg-raster";

const PUBLIC = join(import.meta.dirname, "../../web/public");
const svg = (name: string) => readFileSync(join(PUBLIC, name), "utf8");

/** CRC-32 (ISO 3309, as PNG uses it), written out here so the encoder's node:zlib crc32 is checked independently. */
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

function pixel(png: { rgba: Uint8Array; width: number }, x: number, y: number): number[] {
  const o = (y * png.width + x) * 4;
  return [...png.rgba.subarray(o, o + 4)];
}

const NAVY = [0x0b, 0x39, 0x54, 255];
const BRASS = [0xe0, 0xa5, 0x26, 255];
const GLASS = [0x8f, 0xd3, 0xf4, 255];
const WHITE = [255, 255, 255, 255];

describe("icon SVG subset", () => {
  it("parses both icon sources", () => {
    expect(parseSvg(svg("icon.svg")).shapes.length).toBeGreaterThan(5);
    expect(parseSvg(svg("icon-maskable.svg")).shapes.length).toBe(parseSvg(svg("icon.svg")).shapes.length);
  });

  it("rejects what it cannot draw instead of silently dropping it", () => {
    const wrap = (inner: string) => `<svg viewBox="0 0 10 10">${inner}</svg>`;
    expect(() => parseSvg(wrap('<path d="M0 0L5 5" fill="#000000"/>'))).toThrow(/<path> is outside/);
    expect(() => parseSvg(wrap('<circle cx="1" cy="1" r="1" fill="red"/>'))).toThrow(/#rrggbb/);
    expect(() => parseSvg(wrap('<circle cx="1" cy="1" fill="#000000"/>'))).toThrow(/needs r/);
    expect(() => parseSvg(wrap('<polygon points="1,1 2,2" fill="#000000"/>'))).toThrow(/three/);
    expect(() => parseSvg('<svg viewBox="5 5 10 10"></svg>')).toThrow(/viewBox/);
  });

  it("clamps the corner radius as SVG does and tests polygons by crossing", () => {
    const rect: Shape = { kind: "rect", x: 0, y: 0, width: 10, height: 10, rx: 100, fill: [0, 0, 0] };
    expect(contains(rect, 5, 5)).toBe(true);
    expect(contains(rect, 0.5, 0.5)).toBe(false); // a 10×10 rect with rx ≥ 5 is a circle
    const tri: Shape = {
      kind: "polygon",
      points: [
        [0, 0],
        [10, 0],
        [0, 10],
      ],
      fill: [0, 0, 0],
    };
    expect(contains(tri, 2, 2)).toBe(true);
    expect(contains(tri, 8, 8)).toBe(false);
  });

  it("keeps the maskable art inside the safe zone (a circle of radius 40% of the icon)", () => {
    const d = parseSvg(svg("icon-maskable.svg"));
    const [background, ...art] = d.shapes;
    expect(background).toMatchObject({ kind: "rect", x: 0, y: 0, width: d.width, height: d.height, rx: 0 });
    const c = d.width / 2;
    const safe = 0.4 * d.width;
    for (const s of art) {
      const far =
        s.kind === "circle"
          ? Math.hypot(s.cx - c, s.cy - c) + s.r
          : s.kind === "rect"
            ? Math.max(...[s.x, s.x + s.width].flatMap((x) => [s.y, s.y + s.height].map((y) => Math.hypot(x - c, y - c))))
            : Math.max(...s.points.map(([x, y]) => Math.hypot(x - c, y - c)));
      expect(far, JSON.stringify(s)).toBeLessThanOrEqual(safe);
    }
  });
});

describe("rasterized icons", () => {
  const any = rasterize(parseSvg(svg("icon.svg")), 512);
  const maskable = rasterize(parseSvg(svg("icon-maskable.svg")), 192);

  it("paints the art where the SVG puts it", () => {
    expect(pixel(any, 256, 242)).toEqual(NAVY); // middle typing dot
    expect(pixel(any, 200, 210)).toEqual(WHITE); // speech bubble
    expect(pixel(any, 256, 150)).toEqual(GLASS); // glass above the bubble
    expect(pixel(any, 256, 80)).toEqual(BRASS); // the ring
    expect(pixel(any, 30, 256)).toEqual(NAVY); // background
  });

  it("leaves the rounded corners of the 'any' icon transparent and fills the maskable one", () => {
    expect(pixel(any, 0, 0)[3]).toBe(0);
    expect(pixel(any, 511, 511)[3]).toBe(0);
    expect(pixel(maskable, 0, 0)).toEqual(NAVY);
    expect(pixel(maskable, 191, 191)).toEqual(NAVY);
  });

  it("anti-aliases edges with partial coverage", () => {
    // The rounded corner of the 512 icon (rx 112) crosses the diagonal near (33, 33).
    const alphas = Array.from({ length: 10 }, (_, i) => pixel(any, 28 + i, 28 + i)[3] as number);
    expect(alphas.some((a) => a > 0 && a < 255)).toBe(true);
  });
});

describe("PNG encoding", () => {
  it("writes a valid RGBA PNG whose pixels decode back to the raster", () => {
    const raster = rasterize(parseSvg(svg("icon.svg")), 48);
    const png = encodePng(raster);
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const ihdr = list[0]?.data as Buffer;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[12]]).toEqual([48, 48, 8, 6, 0]);
    const raw = inflateSync(list[1]?.data as Buffer);
    expect(raw.length).toBe((48 * 4 + 1) * 48);
    for (let y = 0; y < 48; y++) {
      expect(raw[y * 193]).toBe(0);
      expect(raw.subarray(y * 193 + 1, (y + 1) * 193).equals(Buffer.from(raster.rgba.subarray(y * 192, (y + 1) * 192)))).toBe(
        true,
      );
    }
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

  it("lists exactly the generated PNG icons, with their real sizes and purposes", () => {
    const pngs = manifest.icons.filter((i) => i.type === "image/png");
    const built = renderIcons(PUBLIC);
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
