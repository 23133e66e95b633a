/**
 * A rasterizer for the small SVG subset the app icons are drawn in (web/public/icon*.svg), so that the
 * PNG icons are generated from the project's own SVG source at build time, offline, with no native
 * dependency. Subset of SVG 1.1 (https://www.w3.org/TR/SVG11/shapes.html): a root `<svg>` with
 * `viewBox="0 0 W H"`, then `<rect x y width height [rx]>`, `<circle cx cy r>` and
 * `<polygon points>` (non-zero and even-odd agree for the simple polygons used), each with
 * `fill="#rrggbb"`, painted in document order; `<title>`, `<desc>` and comments are ignored.
 * Anything else is an error, so the source cannot silently drift from what gets rasterized.
 * Anti-aliasing: 4×4 supersampling per pixel, averaged with premultiplied alpha.
 */

export type Rgb = readonly [number, number, number];

export type Shape =
  | { kind: "rect"; x: number; y: number; width: number; height: number; rx: number; fill: Rgb }
  | { kind: "circle"; cx: number; cy: number; r: number; fill: Rgb }
  | { kind: "polygon"; points: ReadonlyArray<readonly [number, number]>; fill: Rgb };

export interface Drawing {
  width: number;
  height: number;
  shapes: Shape[];
}

/** RGBA pixels, row-major, 4 bytes per pixel, not premultiplied (as PNG stores them). */
export interface Raster {
  width: number;
  height: number;
  rgba: Uint8Array;
}

const IGNORED = new Set(["title", "desc"]);

function attrs(source: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of source.matchAll(/([a-zA-Z:-]+)\s*=\s*"([^"]*)"/g)) map.set(m[1] as string, m[2] as string);
  return map;
}

function num(a: Map<string, string>, name: string, element: string, fallback?: number): number {
  const raw = a.get(name);
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new Error(`<${element}> needs ${name}`);
  }
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`<${element}> ${name}="${raw}" is not a number`);
  return n;
}

function color(a: Map<string, string>, element: string): Rgb {
  const raw = a.get("fill") ?? "";
  const m = /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(raw);
  if (!m) throw new Error(`<${element}> fill must be #rrggbb, got "${raw}"`);
  return [Number.parseInt(m[1] as string, 16), Number.parseInt(m[2] as string, 16), Number.parseInt(m[3] as string, 16)];
}

/** Parses the subset; throws naming the first element or attribute it does not support. */
export function parseSvg(source: string): Drawing {
  const text = source.replace(/<!--[\s\S]*?-->/g, "");
  const root = /<svg\b([^>]*)>/.exec(text);
  if (!root) throw new Error("no <svg> root element");
  const [minX, minY, width = 0, height = 0, ...extra] = (attrs(root[1] as string).get("viewBox") ?? "")
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (minX !== 0 || minY !== 0 || !(width > 0) || !(height > 0) || extra.length > 0) {
    throw new Error('the <svg> root needs viewBox="0 0 W H"');
  }
  const drawing: Drawing = { width, height, shapes: [] };
  const body = text.slice(root.index + root[0].length);
  for (const m of body.matchAll(/<([a-zA-Z]+)\b([^>]*?)\/?>/g)) {
    const [, name = "", rest = ""] = m;
    if (IGNORED.has(name)) continue;
    const a = attrs(rest);
    switch (name) {
      case "rect":
        drawing.shapes.push({
          kind: "rect",
          x: num(a, "x", name, 0),
          y: num(a, "y", name, 0),
          width: num(a, "width", name),
          height: num(a, "height", name),
          rx: num(a, "rx", name, 0),
          fill: color(a, name),
        });
        break;
      case "circle":
        drawing.shapes.push({
          kind: "circle",
          cx: num(a, "cx", name),
          cy: num(a, "cy", name),
          r: num(a, "r", name),
          fill: color(a, name),
        });
        break;
      case "polygon": {
        const values = (a.get("points") ?? "")
          .trim()
          .split(/[\s,]+/)
          .map(Number);
        if (values.length < 6 || values.length % 2 !== 0 || values.some((v) => !Number.isFinite(v))) {
          throw new Error("<polygon> points must be at least three x,y pairs");
        }
        const points: Array<readonly [number, number]> = [];
        for (let i = 0; i < values.length; i += 2) points.push([values[i] as number, values[i + 1] as number]);
        drawing.shapes.push({ kind: "polygon", points, fill: color(a, name) });
        break;
      }
      default:
        throw new Error(`<${name}> is outside the icon SVG subset (rect, circle, polygon)`);
    }
  }
  return drawing;
}

/** True when the point (x, y), in viewBox units, is inside the shape. */
export function contains(shape: Shape, x: number, y: number): boolean {
  switch (shape.kind) {
    case "circle":
      return (x - shape.cx) ** 2 + (y - shape.cy) ** 2 <= shape.r ** 2;
    case "rect": {
      const { x: left, y: top, width, height } = shape;
      if (x < left || y < top || x > left + width || y > top + height) return false;
      // SVG clamps rx to half the width/height; ry defaults to rx.
      const r = Math.min(shape.rx, width / 2, height / 2);
      if (r <= 0) return true;
      const cx = Math.min(Math.max(x, left + r), left + width - r);
      const cy = Math.min(Math.max(y, top + r), top + height - r);
      return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
    }
    case "polygon": {
      let inside = false;
      const p = shape.points;
      for (let i = 0, j = p.length - 1; i < p.length; j = i++) {
        const [xi, yi] = p[i] as readonly [number, number];
        const [xj, yj] = p[j] as readonly [number, number];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }
  }
}

const SAMPLES = 4;

type Box = readonly [left: number, top: number, right: number, bottom: number];

function bounds(shape: Shape): Box {
  switch (shape.kind) {
    case "circle":
      return [shape.cx - shape.r, shape.cy - shape.r, shape.cx + shape.r, shape.cy + shape.r];
    case "rect":
      return [shape.x, shape.y, shape.x + shape.width, shape.y + shape.height];
    case "polygon": {
      const xs = shape.points.map((p) => p[0]);
      const ys = shape.points.map((p) => p[1]);
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    }
  }
}

/** Renders the drawing scaled to size × size pixels (the icons are square). */
export function rasterize(drawing: Drawing, size: number): Raster {
  if (!Number.isInteger(size) || size < 1) throw new Error(`bad icon size ${size}`);
  const rgba = new Uint8Array(size * size * 4);
  const sx = drawing.width / size;
  const sy = drawing.height / size;
  // Topmost first, with bounding boxes to skip the shapes a pixel cannot touch.
  const shapes = [...drawing.shapes].reverse().map((shape) => ({ shape, box: bounds(shape) }));
  for (let py = 0; py < size; py++) {
    const y0 = py * sy;
    const y1 = y0 + sy;
    const row = shapes.filter(({ box }) => box[1] <= y1 && box[3] >= y0);
    for (let px = 0; px < size; px++) {
      const x0 = px * sx;
      const x1 = x0 + sx;
      const near = row.filter(({ box }) => box[0] <= x1 && box[2] >= x0).map((s) => s.shape);
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let j = 0; j < SAMPLES; j++) {
        for (let i = 0; i < SAMPLES; i++) {
          const x = x0 + ((i + 0.5) / SAMPLES) * sx;
          const y = y0 + ((j + 0.5) / SAMPLES) * sy;
          const top = near.find((s) => contains(s, x, y));
          if (!top) continue;
          r += top.fill[0];
          g += top.fill[1];
          b += top.fill[2];
          covered++;
        }
      }
      const o = (py * size + px) * 4;
      if (covered > 0) {
        rgba[o] = Math.round(r / covered);
        rgba[o + 1] = Math.round(g / covered);
        rgba[o + 2] = Math.round(b / covered);
        rgba[o + 3] = Math.round((covered * 255) / (SAMPLES * SAMPLES));
      }
    }
  }
  return { width: size, height: size, rgba };
}
