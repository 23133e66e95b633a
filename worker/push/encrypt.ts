/**
 * Message encryption for Web Push (RFC 8291) in the aes128gcm content coding (RFC 8188), one record:
 * - ECDH between a fresh application-server key pair and the subscription's `p256dh` key;
 * - IKM = HKDF(salt = auth secret, ikm = ECDH secret, info = "WebPush: info" 0x00 || ua_public || as_public, 32);
 * - CEK = HKDF(salt, IKM, "Content-Encoding: aes128gcm" 0x00, 16), NONCE = HKDF(salt, IKM, "Content-Encoding: nonce" 0x00, 12);
 * - body = salt(16) || rs(4, big-endian) || idlen(1) = 65 || as_public(65) || AES-128-GCM(plaintext || 0x02).
 * WebCrypto only (ECDH, HKDF, AES-GCM), so it runs in the worker as it does in a browser.
 */
import { concatBytes } from "./base64url";

/** The record size announced in the header; one record holds the whole payload. */
export const RECORD_SIZE = 4096;
/** Largest plaintext that fits one record: rs minus the delimiter byte and the 16-byte GCM tag. */
export const MAX_PLAINTEXT = RECORD_SIZE - 17;

export interface PushKeys {
  /** The subscription's P-256 public key (65 bytes uncompressed). */
  p256dh: Uint8Array;
  /** The subscription's 16-byte authentication secret. */
  auth: Uint8Array;
}

/** Fixed inputs for the RFC 8291 test vector; normally both are fresh. */
export interface EncryptionSeed {
  salt?: Uint8Array;
  serverKeys?: CryptoKeyPair;
}

const text = new TextEncoder();

async function hkdf(salt: Uint8Array, ikm: Uint8Array | ArrayBuffer, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8));
}

/** Encrypts `plaintext` for one subscription; throws when it does not fit one record or the key is bad. */
export async function encryptPayload(
  plaintext: Uint8Array,
  keys: PushKeys,
  seed: EncryptionSeed = {},
): Promise<Uint8Array<ArrayBuffer>> {
  if (plaintext.byteLength > MAX_PLAINTEXT) throw new Error(`payload of ${plaintext.byteLength} bytes exceeds ${MAX_PLAINTEXT}`);
  const salt = seed.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const server =
    seed.serverKeys ??
    ((await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair);
  const serverPublic = new Uint8Array((await crypto.subtle.exportKey("raw", server.publicKey)) as ArrayBuffer);
  const uaPublic = await crypto.subtle.importKey("raw", keys.p256dh, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const shared = await crypto.subtle.deriveBits(
    { name: "ECDH", public: uaPublic } as unknown as SubtleCryptoDeriveKeyAlgorithm,
    server.privateKey,
    256,
  );
  const keyInfo = concatBytes(text.encode("WebPush: info\0"), keys.p256dh, serverPublic);
  const ikm = await hkdf(keys.auth, shared, keyInfo, 32);
  const cek = await hkdf(salt, ikm, text.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, text.encode("Content-Encoding: nonce\0"), 12);
  const aes = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const record = concatBytes(plaintext, new Uint8Array([2]));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, aes, record));
  const header = new Uint8Array(21);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, RECORD_SIZE);
  header[20] = serverPublic.byteLength;
  return concatBytes(header, serverPublic, sealed);
}
