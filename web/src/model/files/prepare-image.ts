/**
 * Photos are made smaller and anonymous before they leave, as Conversations does: a JPEG, PNG or WebP
 * is drawn (oriented by its EXIF, CSS Images 3 `image-orientation: from-image`) with its longest side
 * at most MAX_SIDE pixels and encoded again, which drops every metadata block (EXIF location, camera,
 * time). GIFs (animation) and other files go as they are; so does everything when the user asks for
 * the original.
 */

export const MAX_SIDE = 1920;
const QUALITY = 0.85;
const REENCODED = new Set(["image/jpeg", "image/png", "image/webp"]);

export interface Prepared {
  blob: Blob;
  name: string;
  type: string;
}

function renamed(name: string, type: string): string {
  if (type !== "image/jpeg" || /\.jpe?g$/i.test(name)) return name;
  return `${name.replace(/\.[A-Za-z0-9]{1,5}$/, "")}.jpg`;
}

export async function prepareFile(file: Blob & { name?: string }, original: boolean): Promise<Prepared> {
  const name = file.name || "file";
  const type = file.type || "application/octet-stream";
  if (original || !REENCODED.has(type) || typeof createImageBitmap !== "function") return { blob: file, name, type };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return { blob: file, name, type }; // not decodable here: sent as it is
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext("2d");
  if (!ctx) return { blob: file, name, type };
  // A PNG keeps its transparency as PNG; JPEG and WebP become JPEG (what every client shows).
  const outType = type === "image/png" ? "image/png" : "image/jpeg";
  if (outType === "image/jpeg") {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
  }
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type: outType, quality: QUALITY });
  return { blob, name: renamed(name, outType), type: outType };
}
