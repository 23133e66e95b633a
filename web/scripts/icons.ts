/**
 * The app icons: which PNGs are generated from which SVG source (web/public/icon.svg and
 * icon-maskable.svg), at which size. W3C Web App Manifest (https://www.w3.org/TR/appmanifest/#icons):
 * 192 and 512 for "any" and "maskable"; 180 for iOS' apple-touch-icon (opaque, so the maskable art).
 * web/public/manifest.webmanifest lists the same files (test/web/pwa-icons.test.ts checks they agree).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encodePng } from "./png.ts";
import { parseSvg, rasterize } from "./svg-raster.ts";

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

/** Renders every icon from the SVG sources in publicDir; returns file → PNG bytes. */
export function renderIcons(publicDir: string): Map<string, Buffer> {
  const drawings = new Map<string, ReturnType<typeof parseSvg>>();
  const out = new Map<string, Buffer>();
  for (const icon of ICONS) {
    let drawing = drawings.get(icon.source);
    if (!drawing) {
      drawing = parseSvg(readFileSync(join(publicDir, icon.source), "utf8"));
      drawings.set(icon.source, drawing);
    }
    out.set(icon.file, encodePng(rasterize(drawing, icon.size)));
  }
  return out;
}
