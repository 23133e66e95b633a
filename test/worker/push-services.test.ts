// The push-service allow-list and registration validation of worker/push/ (no open relay), in workerd.
import { describe, expect, it } from "vitest";
import { DEFAULT_PUSH_SERVICES, isAllowedEndpoint, parsePushServices } from "../../worker/push/push-services";
import { parseRegistration } from "../../worker/push/subscription";
import { newSubscription } from "./push-support";

const defaults = parsePushServices(DEFAULT_PUSH_SERVICES);
const allowed = (u: string, list = defaults) => isAllowedEndpoint(new URL(u), list);

describe("allowed push services", () => {
  it("lets in the browsers' services and nothing that only looks like them", () => {
    expect(allowed("https://fcm.googleapis.com/fcm/send/abc:APA91b")).toBe(true);
    expect(allowed("https://updates.push.services.mozilla.com/wpush/v2/gAAAA")).toBe(true);
    expect(allowed("https://web.push.apple.com/QGuQyavXutnMH6Ig2uYOJDwA")).toBe(true);
    expect(allowed("https://wns2-par02p.notify.windows.com/w/?token=AwYAAA")).toBe(true);
    expect(allowed("https://notify.windows.com/w/")).toBe(false); // *. means a subdomain
    expect(allowed("https://fcm.googleapis.com.evil.example/x")).toBe(false);
    expect(allowed("https://evilfcm.googleapis.com/x")).toBe(false);
    expect(allowed("http://fcm.googleapis.com/fcm/send/abc")).toBe(false); // https only
    expect(allowed("https://fcm.googleapis.com:8443/fcm/send/abc")).toBe(false); // other port
    expect(allowed("https://user:pw@fcm.googleapis.com/fcm/send/abc")).toBe(false);
    expect(allowed("https://127.0.0.1/x")).toBe(false);
    expect(allowed("https://169.254.169.254/latest/meta-data")).toBe(false);
  });

  it("a configured origin with scheme and port allows exactly that origin (a test push service)", () => {
    const list = parsePushServices("http://127.0.0.1:9123, web.push.apple.com");
    expect(allowed("http://127.0.0.1:9123/push/1", list)).toBe(true);
    expect(allowed("http://127.0.0.1:9124/push/1", list)).toBe(false);
    expect(allowed("https://127.0.0.1:9123/push/1", list)).toBe(false);
    expect(allowed("https://web.push.apple.com/x", list)).toBe(true);
    expect(allowed("https://fcm.googleapis.com/x", list)).toBe(false);
  });

  it("refuses list entries that are not hosts or origins", () => {
    for (const bad of ["https://x.example/path", "ftp://x.example", "x.example:443", "*", "https://"]) {
      expect(() => parsePushServices(bad), bad).toThrow(/is not a host/);
    }
  });
});

describe("device registration", () => {
  it("accepts a PushSubscription.toJSON() on an allowed service, showBody off unless asked", async () => {
    const sub = (await newSubscription()).json("https://fcm.googleapis.com/fcm/send/abc");
    expect(parseRegistration({ subscription: sub }, defaults)).toEqual({
      subscription: { ...sub.keys, endpoint: sub.endpoint },
      showBody: false,
    });
    expect(parseRegistration({ subscription: sub, showBody: true }, defaults)).toMatchObject({ showBody: true });
  });

  it("says what is wrong with a bad one", async () => {
    const sub = (await newSubscription()).json("https://fcm.googleapis.com/fcm/send/abc");
    const cases: Array<[unknown, RegExp]> = [
      [null, /JSON object/],
      [{}, /subscription is missing/],
      [{ subscription: { ...sub, endpoint: "https://attacker.example/hook" } }, /not a known push service/],
      [{ subscription: { ...sub, endpoint: "not a url" } }, /not a URL/],
      [{ subscription: { ...sub, endpoint: `https://fcm.googleapis.com/${"a".repeat(2100)}` } }, /too long/],
      [{ subscription: { endpoint: sub.endpoint } }, /keys is missing/],
      [{ subscription: { ...sub, keys: { ...sub.keys, p256dh: "AAAA" } } }, /p256dh/],
      [{ subscription: { ...sub, keys: { ...sub.keys, auth: 12 } } }, /auth/],
      [{ subscription: { ...sub, keys: { ...sub.keys, auth: "AAAA" } } }, /auth/],
      [{ subscription: sub, showBody: "yes" }, /showBody/],
    ];
    for (const [body, message] of cases) expect(parseRegistration(body, defaults)).toMatch(message);
  });
});
