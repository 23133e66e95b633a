/**
 * Request bodies within a cap (RTMPT_MAX_BODY; larger: 413, RFC 9110 §15.5.14): an announced
 * Content-Length is checked before anything is read, and a body without one (chunked, RFC 9112 §7.1)
 * is read only up to the cap.
 */

/** Reads a body of unknown length, up to `max` bytes; null when it is larger (the rest is cancelled). */
export async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** RFC 9110 §8.6: `Content-Length = 1*DIGIT`; 20 digits hold any length a client could mean. */
const CONTENT_LENGTH = /^\d{1,20}$/;

/**
 * What is wrong with a request's announced `Content-Length` against a cap of `max` bytes: 400 when it
 * is not a plain decimal number, 413 when it announces more than `max`; null when it is absent or fine.
 */
export function contentLengthProblem(value: string | undefined, max: number): { status: 400 | 413; message: string } | null {
  if (value === undefined) return null;
  if (!CONTENT_LENGTH.test(value)) return { status: 400, message: "Bad Content-Length" };
  if (Number(value) > max) return { status: 413, message: "Request body too large" };
  return null;
}
