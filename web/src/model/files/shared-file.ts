/**
 * What the app knows of a shared file (XEP-0363 upload, XEP-0066 URL), and what kind of content it is
 * by its media type or, for a received URL, by its file name: the message view decides from `kindOf`
 * whether it may show the file inline. SVG and HTML are never a kind that renders inline.
 */

export interface SharedFile {
  /** The download (GET) URL once uploaded; absent while the file waits in the outbox. */
  url?: string;
  name: string;
  /** Bytes, when known (own uploads; received ones learn it from a HEAD). */
  size?: number;
  /** Media type, when known. */
  type?: string;
  /** A local copy waits in the file store (model/files/file-store.ts) under the message id. */
  local?: boolean;
}

export type FileKind = "image" | "audio" | "video" | "other";

const BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/ogg",
  wav: "audio/wav",
  mp4: "video/mp4",
  m4v: "video/mp4",
  webm: "video/webm",
  pdf: "application/pdf",
  svg: "image/svg+xml",
  html: "text/html",
  htm: "text/html",
  txt: "text/plain",
};

/** The media type a file name suggests, or "" when it says nothing known. */
export function typeOfName(name: string): string {
  const ext = name.toLowerCase().match(/\.([a-z0-9]{1,5})$/)?.[1] ?? "";
  return BY_EXTENSION[ext] ?? "";
}

/** Images only in the four formats every browser decodes without scripts; never SVG. */
export function kindOf(type: string): FileKind {
  const t = type.toLowerCase().split(";")[0]?.trim() ?? "";
  if (/^image\/(jpeg|png|gif|webp)$/.test(t)) return "image";
  if (/^audio\/(mpeg|mp4|ogg|wav|webm|aac|flac)$/.test(t)) return "audio";
  if (/^video\/(mp4|webm|ogg)$/.test(t)) return "video";
  return "other";
}

/** Where this host serves uploaded files (the worker's upload route). */
export const UPLOAD_PATH = "/upload/";

/**
 * Whether a file's URL may be shown inline (image, audio, video): only from this host's upload path,
 * which the page's CSP allows (`img-src`/`media-src 'self'`) and whose answers the worker locks down
 * (sandbox CSP, nosniff); any other URL, on this host or another, is a link.
 */
export function inlineAllowed(url: string, origin: string): boolean {
  try {
    const u = new URL(url, origin);
    return u.origin === origin && u.pathname.startsWith(UPLOAD_PATH) && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** A received URL's file: its name is the last path segment, its type what the name suggests. */
export function fileFromUrl(url: string): SharedFile {
  let name = "file";
  try {
    const last = new URL(url).pathname.split("/").filter(Boolean).pop() ?? "";
    name = decodeURIComponent(last) || name;
  } catch {}
  const type = typeOfName(name);
  return { url, name, ...(type ? { type } : {}) };
}

/** "12 bytes", "1.6 KB", "830 KB", "2.4 MB", "10 MB" (SI units; one decimal below 10). */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const [value, unit] = bytes < 1_000_000 ? [bytes / 1000, "KB"] : [bytes / 1_000_000, "MB"];
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`;
}
