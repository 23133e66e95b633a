/**
 * The RTMP handshake, client side (Adobe RTMP specification 1.0, §5.2): C0 (version 3) + C1 (time,
 * four zero bytes, 1528 random bytes), then, once S0 + S1 arrived, C2 = an echo of S1 (§5.2.4: S1's time,
 * our time of reading it, S1's random bytes); media may flow once S2 arrived. This is the plain
 * handshake without the Flash Player digest: the zero "version" bytes in C1 are what nginx-rtmp takes
 * for an old-style client (ngx_rtmp_handshake.c: "digest not found" → hs_old, S2 = C1), as librtmp
 * sends it unless told to do the digest one. Pure.
 */

export const RTMP_VERSION = 3;
export const HANDSHAKE_SIZE = 1536;

/** C0 + C1 (1 + 1536 bytes). `now` is the 4-byte time field, in ms (it may be 0, §5.2.3). */
export function clientHello(now = 0): Uint8Array {
  const out = new Uint8Array(1 + HANDSHAKE_SIZE);
  out[0] = RTMP_VERSION;
  new DataView(out.buffer).setUint32(1, now >>> 0);
  crypto.getRandomValues(out.subarray(9));
  return out;
}

/** Checks S0 and builds C2 from S1. Throws when the server speaks another RTMP version. */
export function clientAck(s0s1: Uint8Array, now = 0): Uint8Array {
  if (s0s1.length < 1 + HANDSHAKE_SIZE) throw new Error("handshake: short S0+S1");
  if (s0s1[0] !== RTMP_VERSION) throw new Error(`handshake: server speaks RTMP version ${s0s1[0]}, not 3`);
  const c2 = s0s1.slice(1, 1 + HANDSHAKE_SIZE);
  new DataView(c2.buffer).setUint32(4, now >>> 0);
  return c2;
}
