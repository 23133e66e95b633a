/**
 * VAPID (RFC 8292): the application server identifies itself to a push service with an ES256 JWT
 * (RFC 7515, RFC 7518 §3.4) whose `aud` is the push service's origin, `exp` at most 24 h ahead and
 * `sub` a contact URI, sent as `Authorization: vapid t=<jwt>, k=<public key>` (§3). Keys: P-256, the
 * public key as the 65-byte uncompressed point (base64url), the private key as its 32-byte scalar `d`.
 * WebCrypto only: ECDSA signatures come out as r||s (IEEE P1363), which is exactly JWS's format.
 */
import { fromBase64Url, toBase64Url } from "./base64url";

export interface VapidKeys {
  /** The uncompressed public point (65 bytes, 0x04 || x || y). */
  publicKey: Uint8Array;
  /** base64url of publicKey: the `k=` parameter and what browsers get as applicationServerKey. */
  publicKeyText: string;
  privateKey: CryptoKey;
}

/** Imports the key pair; throws an Error saying which half is wrong (also when they do not match). */
export async function importVapidKeys(publicText: string, privateText: string): Promise<VapidKeys> {
  const publicKey = fromBase64Url(publicText.trim());
  if (publicKey?.byteLength !== 65 || publicKey[0] !== 4) {
    throw new Error("the public key is not a base64url P-256 uncompressed point (65 bytes starting 0x04)");
  }
  const d = fromBase64Url(privateText.trim());
  if (d?.byteLength !== 32) throw new Error("the private key is not a base64url 32-byte P-256 scalar");
  const jwk: JsonWebKey = {
    kty: "EC",
    crv: "P-256",
    x: toBase64Url(publicKey.slice(1, 33)),
    y: toBase64Url(publicKey.slice(33, 65)),
    d: toBase64Url(d),
    ext: false,
  };
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  } catch (err) {
    throw new Error(`the key pair was refused: ${err instanceof Error ? err.message : String(err)}`);
  }
  // WebCrypto does not check that d belongs to (x, y): sign once and verify with the public key.
  const verifyKey = await crypto.subtle.importKey("raw", publicKey, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const probe = new TextEncoder().encode("porthole-vapid-probe");
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, probe);
  if (!(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, verifyKey, sig, probe))) {
    throw new Error("the private key does not belong to the public key");
  }
  return { publicKey, publicKeyText: toBase64Url(publicKey), privateKey };
}

const text = new TextEncoder();

function part(value: unknown): string {
  return toBase64Url(text.encode(JSON.stringify(value)));
}

/** The signed JWT for one push service origin; `now` in seconds. Valid 12 h (RFC 8292 §2: at most 24 h). */
export async function vapidJwt(audience: string, subject: string, keys: VapidKeys, now: number): Promise<string> {
  const signing = `${part({ typ: "JWT", alg: "ES256" })}.${part({ aud: audience, exp: now + 12 * 3600, sub: subject })}`;
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, text.encode(signing));
  return `${signing}.${toBase64Url(new Uint8Array(sig))}`;
}

/** The `Authorization` header value for a push to `endpoint` (RFC 8292 §3). */
export async function vapidAuthorization(endpoint: URL, subject: string, keys: VapidKeys, now: number): Promise<string> {
  return `vapid t=${await vapidJwt(endpoint.origin, subject, keys, now)}, k=${keys.publicKeyText}`;
}
