/**
 * Turns a picked image file into an avatar as Conversations makes one: cropped to a centred square
 * and scaled down in a canvas to at most 192×192 (XEP-0084 §7), kept as JPEG when it was one, else PNG.
 */
import { bytesToBase64 } from "../../model/stanzas/avatar-requests";

export const AVATAR_SIDE = 192;

export interface AvatarPick {
  type: "image/png" | "image/jpeg";
  base64: string;
  width: number;
  height: number;
}

export async function avatarFromFile(file: Blob): Promise<AvatarPick> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error("That file is not an image this browser can read.");
  }
  const crop = Math.min(bitmap.width, bitmap.height);
  const side = Math.max(1, Math.min(AVATAR_SIDE, crop));
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = side;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("This browser cannot resize images.");
  ctx.drawImage(bitmap, (bitmap.width - crop) / 2, (bitmap.height - crop) / 2, crop, crop, 0, 0, side, side);
  bitmap.close();
  const type = file.type === "image/jpeg" ? "image/jpeg" : "image/png";
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.85));
  if (!blob) throw new Error("The image could not be encoded.");
  return { type, base64: bytesToBase64(new Uint8Array(await blob.arrayBuffer())), width: side, height: side };
}
