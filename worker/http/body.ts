/**
 * Request bodies read with a cap: a client that sends no Content-Length (chunked, RFC 9112 §7.1) must
 * not make the worker buffer more than the configured limit (RTMPT_MAX_BODY; larger: 413, RFC 9110 §15.5.14).
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
