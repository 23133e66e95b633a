/**
 * Shared steps of the RTMPT client end-to-end suites (rtmpt-clients*.test.ts): carry a real stream
 * (ffmpeg's RTMP) through the test tunnel framed as one client (test/support/rtmpt-tunnel.ts) into
 * nginx-rtmp, probe it there, play it back through the same framing, and check from nginx-rtmp's log
 * that each of the client's origin connections closed within 5 s of the client ending, and that every
 * client that reads its /close reply got 200 (a /close refused or lost on the way would leave the
 * session to notice a silent client instead).
 */
import { join } from "node:path";
import { expect } from "vitest";
import { codecs, publish, run, videoSeconds } from "../support/media";
import type { NginxRtmp } from "../support/nginx-rtmp";
import { waitFor } from "../support/process";
import type { Relay, RtmptTunnel } from "../support/rtmpt-tunnel";

/** How soon an origin connection must close once its client ended. */
export const FREED_WITHIN_MS = 5_000;

/** nginx-rtmp's connection number (`*N`) of the last `publish`/`play` of `name` in its log. */
export function nginxConnection(nginx: NginxRtmp, verb: "publish" | "play", name: string): string | null {
  const all = [...nginx.errorLog().matchAll(new RegExp(`(\\*\\d+) ${verb}: name='${name}'`, "g"))];
  return all.at(-1)?.[1] ?? null;
}

/**
 * Waits until nginx-rtmp logs `<conn> disconnect`; returns how long after the relay's client ended
 * that was seen (polling every 50 ms), or fails past `withinMs`.
 */
export async function freedAfter(nginx: NginxRtmp, conn: string, relay: Relay, label: string, withinMs: number): Promise<number> {
  await waitFor(`${label}: its client ended`, async () => relay.ended, 60_000);
  const ended = relay.endedAt ?? Date.now();
  for (;;) {
    if (nginx.errorLog().includes(`${conn} disconnect`)) return Date.now() - ended;
    if (Date.now() - ended > withinMs) {
      expect.fail(`${label}: nginx connection ${conn} still open ${withinMs} ms after its client ended`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Carried {
  /** ms from each client's end to nginx closing its connection: publisher, player. */
  freed: [number, number];
  playedSeconds: number;
}

/**
 * ffmpeg publishes `seconds` of H.264 + AAC to rtmp://tunnel/live/<name>; ffprobe sees both at nginx;
 * ffmpeg plays 3 s back through the tunnel meanwhile; both origin connections close within 5 s of their clients.
 */
export async function carryStream(
  nginx: NginxRtmp,
  tunnel: RtmptTunnel,
  name: string,
  dir: string,
  seconds = 9,
): Promise<Carried> {
  const publisher = publish(tunnel.url(`live/${name}`), seconds, 90_000);
  try {
    await waitFor(
      `${tunnel.framing} publish reaches nginx`,
      async () => nginxConnection(nginx, "publish", name) !== null,
      30_000,
    );
    const file = join(dir, `${name}.flv`);
    // Played back through the tunnel while ffprobe reads the stream straight from nginx.
    const [atOrigin, play] = await Promise.all([
      codecs(`${nginx.origin}/live/${name}`, 30_000),
      run(
        "ffmpeg",
        ["-hide_banner", "-nostdin", "-y", "-i", tunnel.url(`live/${name}`), "-t", "3", "-c", "copy", "-f", "flv", file],
        30_000,
      ).done,
    ]);
    expect(atOrigin).toEqual(["aac", "h264"]);
    const traces = tunnel.relays.map((r, i) => `connection ${i} (ended ${r.endedAt}):\n${r.trace.join("\n")}`).join("\n");
    expect(play.code, `${play.output.slice(-1500)}\n${traces}`).toBe(0);
    expect(await codecs(file)).toEqual(["aac", "h264"]);
    const [pubRelay, playRelay] = tunnel.relays;
    const pubConn = nginxConnection(nginx, "publish", name);
    const playConn = nginxConnection(nginx, "play", name);
    if (!pubRelay || !playRelay || !pubConn || !playConn) {
      throw new Error(`expected a tunnelled publish and play of ${name}: ${tunnel.relays.length} connections`);
    }
    // Watched from the player's end on, while the publisher still streams.
    const within = FREED_WITHIN_MS;
    const playerFreed = freedAfter(nginx, playConn, playRelay, `${tunnel.framing} player`, within);
    const playedSeconds = await videoSeconds(file);
    expect(playedSeconds).toBeGreaterThan(2);
    const pub = await publisher.done;
    expect(pub.code, pub.output.slice(-1500)).toBe(0);
    const freed: [number, number] = [
      await freedAfter(nginx, pubConn, pubRelay, `${tunnel.framing} publisher`, within),
      await playerFreed,
    ];
    // Every framing but librtmp's (which resets its /close away) reads the reply: the /close was taken
    // (e.g. `/close/<id>` without seq through the proxy), not left to the silent-client timeout.
    if (tunnel.framing !== "librtmp") {
      for (const relay of [pubRelay, playRelay]) {
        await waitFor(`${tunnel.framing}: the reply to /close`, async () => relay.closeReply !== null, FREED_WITHIN_MS);
        expect(relay.closeReply, relay.trace.join("\n")).toBe("HTTP/1.1 200 OK");
      }
    }
    expect(tunnel.faults, tunnel.faults.join("\n")).toEqual([]);
    expect(tunnel.errors, tunnel.errors.join("\n")).toEqual([]);
    return { freed, playedSeconds };
  } finally {
    publisher.stop();
  }
}
