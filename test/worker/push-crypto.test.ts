// Web Push message encryption (RFC 8291, aes128gcm) and VAPID (RFC 8292) of worker/push/, in workerd.
import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "../../worker/push/base64url";
import { encryptPayload, MAX_PLAINTEXT } from "../../worker/push/encrypt";
import { importVapidKeys, vapidAuthorization } from "../../worker/push/vapid";
import { decryptBody, importEcdhPrivate, newSubscription, newVapidKeys } from "./push-support";

// RFC 8291 Appendix A (published test data).
const RFC = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  body:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT" +
    "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

const b = (s: string) => fromBase64Url(s) as Uint8Array<ArrayBuffer>;

describe("aes128gcm (RFC 8291)", () => {
  it("reproduces the RFC 8291 Appendix A message byte for byte", async () => {
    const serverKeys = await importEcdhPrivate(RFC.asPrivate, RFC.asPublic);
    const out = await encryptPayload(
      new TextEncoder().encode(RFC.plaintext),
      { p256dh: b(RFC.uaPublic), auth: b(RFC.auth) },
      { salt: b(RFC.salt), serverKeys },
    );
    expect(toBase64Url(out)).toBe(RFC.body);
  });

  it("a fresh message decrypts with the subscription's private key (independent HKDF), 4096-byte records", async () => {
    const sub = await newSubscription();
    const text = JSON.stringify({ sender: "bob@localhost", count: 1 });
    const a = await encryptPayload(new TextEncoder().encode(text), { p256dh: sub.p256dh, auth: sub.auth });
    const second = await encryptPayload(new TextEncoder().encode(text), { p256dh: sub.p256dh, auth: sub.auth });
    const opened = await decryptBody(a, { privateKey: sub.keys.privateKey, p256dh: sub.p256dh, auth: sub.auth });
    expect(new TextDecoder().decode(opened.plaintext)).toBe(text);
    expect(opened.rs).toBe(4096);
    expect(opened.serverPublic.byteLength).toBe(65);
    // a new salt and server key every time: the same text never gives the same bytes
    expect(toBase64Url(second)).not.toBe(toBase64Url(a));
    expect(toBase64Url(second.slice(0, 16))).not.toBe(toBase64Url(a.slice(0, 16)));
  });

  it("a tampered byte or the wrong auth secret fails to decrypt", async () => {
    const sub = await newSubscription();
    const body = await encryptPayload(new TextEncoder().encode("hi"), { p256dh: sub.p256dh, auth: sub.auth });
    const tampered = body.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    const keys = { privateKey: sub.keys.privateKey, p256dh: sub.p256dh, auth: sub.auth };
    await expect(decryptBody(tampered, keys)).rejects.toThrow();
    await expect(decryptBody(body, { ...keys, auth: new Uint8Array(16) })).rejects.toThrow();
  });

  it("refuses a payload that does not fit one record, and a key that is no P-256 point", async () => {
    const sub = await newSubscription();
    const keys = { p256dh: sub.p256dh, auth: sub.auth };
    await expect(encryptPayload(new Uint8Array(MAX_PLAINTEXT), keys)).resolves.toBeInstanceOf(Uint8Array);
    await expect(encryptPayload(new Uint8Array(MAX_PLAINTEXT + 1), keys)).rejects.toThrow(/exceeds/);
    const bad = sub.p256dh.slice();
    bad[64] = (bad[64] ?? 0) ^ 0xff; // off the curve
    await expect(encryptPayload(new Uint8Array(4), { ...keys, p256dh: bad })).rejects.toThrow();
  });
});

describe("VAPID (RFC 8292)", () => {
  it("signs an ES256 JWT for the push service's origin that verifies with the public key in k=", async () => {
    const pair = await newVapidKeys();
    const keys = await importVapidKeys(pair.publicKey, pair.privateKey);
    const now = 1_800_000_000;
    const header = await vapidAuthorization(
      new URL("https://fcm.googleapis.com/fcm/send/abc?x=1"),
      "mailto:ops@example.org",
      keys,
      now,
    );
    const m = /^vapid t=([^,]+), k=(.+)$/.exec(header);
    expect(m?.[2]).toBe(pair.publicKey);
    const [h, c, s] = (m?.[1] ?? "").split(".") as [string, string, string];
    expect(JSON.parse(new TextDecoder().decode(b(h)))).toEqual({ typ: "JWT", alg: "ES256" });
    const claims = JSON.parse(new TextDecoder().decode(b(c)));
    expect(claims).toEqual({ aud: "https://fcm.googleapis.com", exp: now + 12 * 3600, sub: "mailto:ops@example.org" });
    const verify = await crypto.subtle.importKey("raw", b(pair.publicKey), { name: "ECDSA", namedCurve: "P-256" }, false, [
      "verify",
    ]);
    const sig = b(s);
    expect(sig.byteLength).toBe(64); // r || s, as JWS wants (not DER)
    const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, verify, sig, new TextEncoder().encode(`${h}.${c}`));
    expect(ok).toBe(true);
  });

  it("refuses keys that are malformed or do not belong together", async () => {
    const one = await newVapidKeys();
    const two = await newVapidKeys();
    await expect(importVapidKeys(one.publicKey, two.privateKey)).rejects.toThrow(/refused|does not belong/);
    await expect(importVapidKeys("abc", one.privateKey)).rejects.toThrow(/public key/);
    await expect(importVapidKeys(one.publicKey, "abc")).rejects.toThrow(/private key/);
    await expect(importVapidKeys(one.publicKey, one.privateKey)).resolves.toBeTruthy();
  });
});
