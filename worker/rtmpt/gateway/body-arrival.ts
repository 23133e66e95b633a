/**
 * Gateway mode: whether a /send's body came with its headers. Clients that write a POST's headers and
 * body in one go (HaishinKit's URLSession, Node's http client) have the whole body in the worker before
 * it asks anything; FFmpeg writes them apart (libavformat/http.c http_connect: two ffurl_write calls,
 * Nagle on), so its body waits for the server's ACK of the headers, which only an early answer sends
 * at once (route.ts). `arrival` looks once, without waiting for the network (one turn of the event
 * loop, `scheduler.wait(0)`), and gives either the whole body or a way to read the rest of it later.
 */

export type Arrival =
  /** The whole body (`length` bytes) was already there. */
  | { kind: "here"; body: Uint8Array }
  /** Not (all) there yet: `rest()` reads it to the end, up to `max` bytes (null beyond). */
  | { kind: "later"; rest: () => Promise<Uint8Array | null> };

export async function arrival(body: ReadableStream<Uint8Array>, length: number, max: number): Promise<Arrival> {
  const reader = body.getReader();
  const pending = reader.read();
  const first = await Promise.race([pending, scheduler.wait(0).then(() => null)]);
  if (first && !first.done && first.value.byteLength === length) {
    reader.releaseLock();
    return { kind: "here", body: first.value };
  }
  if (first?.done && length === 0) {
    reader.releaseLock();
    return { kind: "here", body: new Uint8Array(0) };
  }
  return { kind: "later", rest: () => readRest(reader, first ?? pending, max) };
}

/** Reads `reader` to its end, starting with the read already made (`first`), up to `max` bytes. */
async function readRest(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  first: ReadableStreamReadResult<Uint8Array> | Promise<ReadableStreamReadResult<Uint8Array>>,
  max: number,
): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await first; !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(next.value);
  }
  reader.releaseLock();
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
