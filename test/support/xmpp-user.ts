/**
 * A Node XMPP user for end-to-end tests: @xmpp/client 0.14 over WebSocket (RFC 7395), logged in,
 * with its received chat messages collected so tests can wait on them. Node 22+ has a global WebSocket.
 * Messages are deduped by stanza id (XEP-0198 resumption may redeliver one).
 *
 * XEP-0198 and xmpp.js 0.14: its inbound counter is reset asynchronously when <enabled/> arrives, so a
 * stanza received around that moment (the echo of the initial presence) can be counted twice, and
 * Prosody then ends the stream ("Client acknowledged more stanzas than sent by server"). The initial
 * presence is therefore sent only once stream management is enabled (when the server offers it).
 */
import { type Client, client, type Element, xml } from "@xmpp/client";
import { waitFor } from "./process";

export interface XmppUser {
  jid: string;
  client: Client;
  /** Current xmpp.js status ("online", "offline", "disconnect", ...). */
  status: () => string;
  /** Every status the client went through, in order. */
  statuses: string[];
  /** Bodies of chat messages received so far, with their sender's bare JID. */
  received: Array<{ from: string; body: string }>;
  send: (to: string, body: string) => Promise<void>;
  /** Waits until a chat message with exactly `body` arrived (generous default timeout). */
  waitForBody: (body: string, timeoutMs?: number) => Promise<void>;
  /** XEP-0199 ping of the server; resolves with the round trip in ms. */
  ping: (timeoutMs?: number) => Promise<number>;
  stop: () => Promise<void>;
}

export interface XmppUserOptions {
  /** WebSocket URL, e.g. ws://127.0.0.1:8787/xmpp-websocket */
  service: string;
  domain: string;
  username: string;
  password: string;
  resource?: string;
}

/** Connects and logs in; resolves once online (sends initial presence), rejects with the client's error. */
export async function connectUser(o: XmppUserOptions): Promise<XmppUser> {
  const c = client({
    service: o.service,
    domain: o.domain,
    username: o.username,
    password: o.password,
    resource: o.resource ?? "e2e",
  });
  c.reconnect.stop(); // a test sees failures instead of silent reconnects
  const statuses: string[] = [];
  const received: Array<{ from: string; body: string }> = [];
  const seen = new Set<string>();
  c.on("status", (s) => statuses.push(s));
  c.on("error", () => {}); // surfaced through start() / status; avoid an unhandled 'error' event
  let smOffered = false;
  c.on("element", (el: Element) => {
    if (el.name === "stream:features" && el.getChild("sm", "urn:xmpp:sm:3")) smOffered = true;
  });
  const sm = (c as unknown as { streamManagement?: { enabled: boolean } }).streamManagement;
  c.on("stanza", (st: Element) => {
    if (!st.is("message")) return;
    const body = st.getChildText("body");
    if (body === null) return;
    const id = st.attrs.id;
    if (id) {
      if (seen.has(id)) return;
      seen.add(id);
    }
    received.push({ from: (st.attrs.from ?? "").split("/")[0] ?? "", body });
  });
  await c.start();
  if (smOffered && sm) await waitFor(`${o.username}: XEP-0198 enabled`, async () => sm.enabled, 20_000);
  await c.send(xml("presence"));
  const jid = String(c.jid);
  return {
    jid,
    client: c,
    status: () => c.status,
    statuses,
    received,
    send: (to, body) =>
      c.send(
        xml(
          "message",
          { to, type: "chat", id: `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}` },
          xml("body", {}, body),
        ),
      ),
    waitForBody: (body, timeoutMs = 30_000) =>
      waitFor(`${jid} receives "${body}"`, async () => received.some((m) => m.body === body), timeoutMs),
    ping: async (timeoutMs = 20_000) => {
      const t0 = Date.now();
      await c.iqCaller.request(xml("iq", { type: "get", to: o.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })), timeoutMs);
      return Date.now() - t0;
    },
    stop: async () => {
      try {
        await c.stop();
      } catch {}
    },
  };
}
