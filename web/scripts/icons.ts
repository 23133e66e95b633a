/**
 * The app icons: which PNGs are generated from which SVG source (web/public/icon.svg and
 * icon-maskable.svg), at which size, rendered by sharp (libvips with librsvg: full SVG 1.1).
 * W3C Web App Manifest (https://www.w3.org/TR/appmanifest/#icons): 192 and 512 for "any" and
 * "maskable"; 180 for iOS' apple-touch-icon (opaque, so the maskable art).
 * web/public/manifest.webmanifest lists the same files (test/web/pwa-icons.test.ts checks they agree).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";

export interface IconSpec {
  /** Output path inside the build directory (served from the site root). */
  file: string;
  /** Source SVG, relative to web/public. */
  source: "icon.svg" | "icon-maskable.svg";
  size: number;
}

export const ICONS: readonly IconSpec[] = [
  { file: "icons/icon-192.png", source: "icon.svg", size: 192 },
  { file: "icons/icon-512.png", source: "icon.svg", size: 512 },
  { file: "icons/maskable-192.png", source: "icon-maskable.svg", size: 192 },
  { file: "icons/maskable-512.png", source: "icon-maskable.svg", size: 512 },
  { file: "icons/apple-touch-icon.png", source: "icon-maskable.svg", size: 180 },
];

/** Renders one SVG as a size × size RGBA PNG (the SVG's viewBox scaled to fit, no cropping). */
export async function renderSvg(svg: Buffer, size: number): Promise<Buffer> {
  // librsvg draws the SVG at its own width × height at 72 dpi; pick the density that makes that
  // width land on `size`, so the resize below only corrects rounding instead of scaling a bitmap.
  const { width } = await sharp(svg).metadata();
  if (!width) throw new Error("the icon SVG has no width");
  return sharp(svg, { density: (72 * size) / width })
    .resize(size, size, { fit: "contain", background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .ensureAlpha()
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** Renders every icon from the SVG sources in publicDir; returns file → PNG bytes. */
export async function renderIcons(publicDir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const icon of ICONS) out.set(icon.file, await renderSvg(readFileSync(join(publicDir, icon.source)), icon.size));
  return out;
}
