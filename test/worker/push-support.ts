// The receiving side of Web Push for worker tests, written apart from worker/push/ (RFC 8291 §3.4,
// RFC 8188 §2): decrypts an aes128gcm body with the subscription's private key, and makes test keys.
import { concatBytes, fromBase64Url, toBase64Url } from "../../worker/push/base64url";

export interface TestSubscription {
  keys: CryptoKeyPair;
  p256dh: Uint8Array<ArrayBuffer>;
  auth: Uint8Array<ArrayBuffer>;
  json: (endpoint: string) => { endpoint: string; keys: { p256dh: string; auth: string } };
}

export async function newSubscription(): Promise<TestSubscription> {
  const keys = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const p256dh = new Uint8Array((await crypto.subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer);
  const auth = crypto.getRandomValues(new Uint8Array(16));
  return {
    keys,
    p256dh,
    auth,
    json: (endpoint) => ({ endpoint, keys: { p256dh: toBase64Url(p256dh), auth: toBase64Url(auth) } }),
  };
}

async function hmac(key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, data));
}

/** HKDF with one expand block (RFC 5869), by HMAC, so it shares no code with the sender's HKDF. */
async function hkdf(
  salt: Uint8Array<ArrayBuffer>,
  ikm: Uint8Array<ArrayBuffer>,
  info: Uint8Array<ArrayBuffer>,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const prk = await hmac(salt, ikm);
  return (await hmac(prk, concatBytes(info, new Uint8Array([1])))).slice(0, length);
}

const te = new TextEncoder();

export async function decryptBody(
  input: Uint8Array,
  sub: { privateKey: CryptoKey; p256dh: Uint8Array<ArrayBuffer>; auth: Uint8Array<ArrayBuffer> },
) {
  const body = new Uint8Array(input);
  const salt = body.slice(0, 16);
  const rs = new DataView(body.buffer, body.byteOffset).getUint32(16);
  const idlen = body[20] ?? 0;
  const serverPublic = body.slice(21, 21 + idlen);
  const sealed = body.slice(21 + idlen);
  const pub = await crypto.subtle.importKey("raw", serverPublic, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const shared = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: "ECDH", public: pub } as unknown as SubtleCryptoDeriveKeyAlgorithm,
      sub.privateKey,
      256,
    ),
  );
  const ikm = await hkdf(sub.auth, shared, concatBytes(te.encode("WebPush: info\0"), sub.p256dh, serverPublic), 32);
  const cek = await hkdf(salt, ikm, te.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, te.encode("Content-Encoding: nonce\0"), 12);
  const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const record = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce }, key, sealed));
  let end = record.length - 1;
  while (end >= 0 && record[end] === 0) end--;
  if (record[end] !== 2) throw new Error("not a last record (delimiter 0x02 missing)");
  return { rs, serverPublic, plaintext: record.slice(0, end) };
}

/** Imports a raw P-256 private scalar with its public point (for the RFC 8291 vector's keys). */
export async function importEcdhPrivate(d: string, publicPoint: string): Promise<CryptoKeyPair> {
  const pub = fromBase64Url(publicPoint) as Uint8Array<ArrayBuffer>;
  const jwk = { kty: "EC", crv: "P-256", d, x: toBase64Url(pub.slice(1, 33)), y: toBase64Url(pub.slice(33)), ext: true };
  const privateKey = await crypto.subtle.importKey("jwk", jwk, { name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
  const publicKey = await crypto.subtle.importKey("raw", pub, { name: "ECDH", namedCurve: "P-256" }, true, []);
  return { privateKey, publicKey };
}

/** A VAPID key pair as the worker's vars take it (base64url point, base64url d). */
export async function newVapidKeys(): Promise<{ publicKey: string; privateKey: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  return { publicKey: toBase64Url(raw), privateKey: jwk.d ?? "" };
}
