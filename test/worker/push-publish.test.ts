// XEP-0357 publishes as Prosody's mod_cloud_notify sends them (handle_notify_request in
// mod_cloud_notify.lua builds iq/pubsub/publish/item/notification + publish-options), parsed from an
// XEP-0114 component stream by worker/push/xml-stream.ts and publish.ts; and the push send outcomes.
import { describe, expect, it } from "vitest";
import { handshakeDigest } from "../../worker/push/component";
import { errorIq, parsePublish, resultIq } from "../../worker/push/publish";
import { DEFAULT_PUSH_SERVICES, parsePushServices } from "../../worker/push/push-services";
import { sendPush } from "../../worker/push/send";
import { importVapidKeys } from "../../worker/push/vapid";
import { type XmlElement, XmlStreamParser } from "../../worker/push/xml-stream";
import { decryptBody, newSubscription, newVapidKeys } from "./push-support";

const HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='a1b2' from='push.localhost'>";

const PUBLISH = `<iq id='7d0e' type='set' to='push.localhost' from='localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='NODE_22_chars_abcdefgh'><item><notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='form'><field type='hidden' var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field><field type='text-single' var='message-count'><value>1</value></field><field type='jid-single' var='last-message-sender'><value>bob@localhost/phone</value></field><field type='text-single' var='last-message-body'><value>Fish &amp; chips &lt;3 &#x1F41F;</value></field></x></notification></item></publish><publish-options><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field><field var='secret'><value>s3cr3t</value></field></x></publish-options></pubsub></iq>`;

describe("component handshake (XEP-0114 §3)", () => {
  it("answers with the lower-case hex SHA-1 of stream id + secret", async () => {
    // FIPS 180-2 appendix A.1: SHA-1("abc").
    expect(await handshakeDigest("a", "bc")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(await handshakeDigest("ab", "c")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
  });
});

function parseAll(chunks: string[]) {
  const seen: { open?: Record<string, string>; stanzas: XmlElement[]; closed: boolean } = { stanzas: [], closed: false };
  const p = new XmlStreamParser({
    open: (a) => {
      seen.open = a;
    },
    stanza: (el) => seen.stanzas.push(el),
    close: () => {
      seen.closed = true;
    },
  });
  const bytes = new TextEncoder();
  for (const c of chunks) p.push(bytes.encode(c));
  return seen;
}

describe("XEP-0114 stream and XEP-0357 publish", () => {
  it("parses the stream header, a publish split at every byte, whitespace keepalives and the close", () => {
    const all = `${HEADER}<handshake/> ${PUBLISH}\n</stream:stream>`;
    const bytes = new TextEncoder().encode(all);
    const seen: XmlElement[] = [];
    let id = "";
    let closed = false;
    const p = new XmlStreamParser({
      open: (a) => (id = a.id ?? ""),
      stanza: (el) => seen.push(el),
      close: () => (closed = true),
    });
    for (const byte of bytes) p.push(new Uint8Array([byte])); // UTF-8 split inside the emoji too
    expect(id).toBe("a1b2");
    expect(seen.map((s) => s.name)).toEqual(["handshake", "iq"]);
    expect(closed).toBe(true);
    expect(parsePublish(seen[1] as XmlElement)).toEqual({
      id: "7d0e",
      from: "localhost",
      node: "NODE_22_chars_abcdefgh",
      secret: "s3cr3t",
      summary: { messageCount: 1, sender: "bob@localhost", body: "Fish & chips <3 🐟" },
    });
  });

  it("a publish without sender, body or secret gives an empty summary; other iqs are not publishes", () => {
    const bare = PUBLISH.replace(/<field type='jid-single'.*?<\/field>/, "")
      .replace(/<field type='text-single' var='last-message-body'>.*?<\/field>/, "")
      .replace(/<publish-options>.*<\/publish-options>/, "");
    const [iq] = parseAll([HEADER, bare]).stanzas;
    expect(parsePublish(iq as XmlElement)).toMatchObject({ secret: "", summary: { messageCount: 1 } });
    const [disco] = parseAll([
      HEADER,
      "<iq type='get' id='1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
    ]).stanzas;
    expect(parsePublish(disco as XmlElement)).toBeNull();
  });

  it("answers with escaped result and error stanzas", () => {
    const [iq] = parseAll([HEADER, PUBLISH.replace("id='7d0e'", "id='a&apos;b'")]).stanzas;
    expect(resultIq(iq as XmlElement, "push.localhost")).toBe(
      "<iq type='result' id='a&apos;b' to='localhost' from='push.localhost'/>",
    );
    expect(errorIq(iq as XmlElement, "push.localhost", "cancel", "item-not-found")).toContain(
      "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>",
    );
  });

  it("throws on malformed XML and on a stanza larger than the cap", () => {
    expect(() => parseAll(["<message>"])).toThrow(/expected <stream:stream>/);
    expect(() => parseAll([HEADER, "<iq></message>"])).toThrow(/closes/);
    expect(() => parseAll([HEADER, "stray text"])).toThrow(/outside/);
    const p = new XmlStreamParser({ open: () => {}, stanza: () => {}, close: () => {} }, 1024);
    p.push(new TextEncoder().encode(HEADER));
    expect(() => p.push(new TextEncoder().encode(`<iq>${"x".repeat(2000)}`))).toThrow(/larger than 1024/);
  });
});

describe("sending one push (RFC 8030)", () => {
  const services = parsePushServices(`${DEFAULT_PUSH_SERVICES},http://127.0.0.1:9`);

  async function rig(statuses: Array<number | [number, string]>) {
    const pair = await newVapidKeys();
    const vapid = await importVapidKeys(pair.publicKey, pair.privateKey);
    const sub = await newSubscription();
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const sleeps: number[] = [];
    const fetcher = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const next = statuses.shift() ?? 201;
      const [status, retryAfter] = Array.isArray(next) ? next : [next, ""];
      return new Response(null, { status, headers: retryAfter ? { "retry-after": retryAfter } : {} });
    }) as unknown as typeof fetch;
    const opts = { vapid, subject: "mailto:a@example.org", services, fetcher, sleep: async (ms: number) => void sleeps.push(ms) };
    const s = sub.json("https://fcm.googleapis.com/fcm/send/x");
    return { sub, calls, sleeps, opts, subscription: { endpoint: s.endpoint, ...s.keys } };
  }

  it("201: one POST with aes128gcm, VAPID, TTL, Urgency and Topic; the body decrypts", async () => {
    const r = await rig([201]);
    const out = await sendPush(r.subscription, new TextEncoder().encode('{"sender":"bob@localhost"}'), {
      ...r.opts,
      topic: "abc",
    });
    expect(out).toEqual({ kind: "sent", status: 201, attempts: 1 });
    expect(r.calls).toHaveLength(1);
    const h = r.calls[0]?.init.headers as Record<string, string>;
    expect(h["Content-Encoding"]).toBe("aes128gcm");
    expect(h.Authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]{87}$/);
    expect(h).toMatchObject({ TTL: "86400", Urgency: "high", Topic: "abc" });
    const opened = await decryptBody(r.calls[0]?.init.body as Uint8Array, {
      privateKey: r.sub.keys.privateKey,
      p256dh: r.sub.p256dh,
      auth: r.sub.auth,
    });
    expect(new TextDecoder().decode(opened.plaintext)).toBe('{"sender":"bob@localhost"}');
  });

  it("410 and 404: gone at once; 429 and 5xx: retried (Retry-After honoured, capped); 400: no retry", async () => {
    for (const status of [404, 410]) {
      const r = await rig([status]);
      expect(await sendPush(r.subscription, new Uint8Array(1), r.opts)).toEqual({ kind: "gone", status, attempts: 1 });
    }
    const busy = await rig([[429, "2"], 503, 201]);
    expect(await sendPush(busy.subscription, new Uint8Array(1), busy.opts)).toEqual({ kind: "sent", status: 201, attempts: 3 });
    expect(busy.sleeps).toEqual([2000, 2000]);
    const capped = await rig([[429, "3600"], 201]);
    await sendPush(capped.subscription, new Uint8Array(1), capped.opts);
    expect(capped.sleeps).toEqual([10_000]);
    const down = await rig([500, 500, 500, 201]);
    expect(await sendPush(down.subscription, new Uint8Array(1), down.opts)).toMatchObject({
      kind: "failed",
      status: 500,
      attempts: 3,
    });
    const bad = await rig([400]);
    expect(await sendPush(bad.subscription, new Uint8Array(1), bad.opts)).toMatchObject({
      kind: "failed",
      status: 400,
      attempts: 1,
    });
  });

  it("never POSTs to an endpoint outside the allowed services", async () => {
    const r = await rig([201]);
    const out = await sendPush({ ...r.subscription, endpoint: "https://attacker.example/hook" }, new Uint8Array(1), r.opts);
    expect(out).toMatchObject({ kind: "failed", attempts: 0 });
    expect(r.calls).toHaveLength(0);
  });
});
