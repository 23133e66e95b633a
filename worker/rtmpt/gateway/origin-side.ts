/**
 * Gateway mode: the origin side of a live session (session-state.ts), over its TCP socket to the RTMP
 * origin: copies what the origin sends into the session's capped buffer (buffer.ts), writes
 * the client's /send bodies to it, and records why it ended (socket closed or failed). RTMP is a byte
 * stream both ways, as Red5's RTMPTServlet relays it.
 */
import { logEvent as log } from "../../shared/log";
import type { Live } from "./session-state";

/** Writes a /send body to the origin; a failed write ends the origin side. */
export async function writeToOrigin(live: Live, body: Uint8Array): Promise<void> {
  if (body.byteLength === 0 || live.originEnded) return;
  try {
    await live.writer.write(body);
  } catch (err) {
    originEnded(live, `write failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Copies origin bytes into the buffer until the socket ends; `overflow` ends the session past the cap. */
export async function pumpOrigin(live: Live, overflow: () => Promise<void>): Promise<void> {
  const reader = live.socket.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (live.finished) return;
      if (!live.buffer.push(value)) {
        await overflow();
        return;
      }
    }
    originEnded(live, "origin_closed");
  } catch (err) {
    originEnded(live, `origin_failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    reader.releaseLock();
  }
}

/** The origin side ended: its socket is closed; the session ends once the client drained the buffer. */
export function originEnded(live: Live, reason: string): void {
  if (live.originEnded || live.finished) return;
  live.originEnded = reason;
  live.socket.close().catch(() => {});
  live.buffer.wake();
  log("rtmpt_gateway_origin_ended", { reason, buffered: live.buffer.size, socket: "closed" });
}
