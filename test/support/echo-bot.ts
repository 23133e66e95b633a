/**
 * `echo@localhost`: the demo contact of the local stack, so that a person alone can see a conversation.
 * A small @xmpp/client bot logged in to Prosody's own WebSocket (RFC 7395) that
 * - accepts every subscription request and asks for one back (RFC 6121 §3),
 * - acknowledges each message that asks for a receipt (XEP-0184 `<received/>`),
 * - shows that it is typing (XEP-0085 `<composing/>`), then replies `echo: <body>` with `<active/>`.
 * Only chat messages with a body from another user are answered; error, groupchat and carbon-copied
 * messages are not (XEP-0280 §8 wrappers come from the bot's own account), so two bots never loop.
 */
import { type Client, client, type Element, xml } from "@xmpp/client";

const CHATSTATES = "http://jabber.org/protocol/chatstates";
const RECEIPTS = "urn:xmpp:receipts";
/** Long enough for a person to see the typing indicator, short enough to feel like an answer. */
const TYPING_MS = 700;
const MAX_ECHO = 2000;

export interface EchoBotOptions {
  /** Prosody's WebSocket URL, e.g. ws://127.0.0.1:5280/xmpp-websocket */
  service: string;
  domain: string;
  username: string;
  password: string;
}

export interface EchoBot {
  jid: string;
  /** Messages answered so far. */
  answered: () => number;
  stop: () => Promise<void>;
}

function bare(jid: string | undefined): string {
  return (jid ?? "").split("/")[0] ?? "";
}

function nextId(): string {
  return `echo-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** What the bot says back to one message body. */
export function echoReply(body: string): string {
  const text = body.length > MAX_ECHO ? `${body.slice(0, MAX_ECHO)}…` : body;
  return `echo: ${text}`;
}

function onPresence(c: Client, self: string, st: Element): void {
  const from = bare(st.attrs.from);
  if (!from || from === self) return;
  if (st.attrs.type === "subscribe") {
    c.send(xml("presence", { to: from, type: "subscribed" })).catch(() => {});
    c.send(xml("presence", { to: from, type: "subscribe" })).catch(() => {});
  }
}

function onMessage(c: Client, self: string, st: Element, answered: () => void): void {
  const from = st.attrs.from as string | undefined;
  const type = st.attrs.type ?? "normal";
  const body = st.getChildText("body");
  if (!from || bare(from) === self || (type !== "chat" && type !== "normal") || body === null) return;
  const id = st.attrs.id as string | undefined;
  if (id && st.getChild("request", RECEIPTS)) {
    c.send(xml("message", { to: from, id: nextId() }, xml("received", { xmlns: RECEIPTS, id }))).catch(() => {});
  }
  c.send(xml("message", { to: from, type: "chat" }, xml("composing", { xmlns: CHATSTATES }))).catch(() => {});
  setTimeout(() => {
    const reply = xml(
      "message",
      { to: from, type: "chat", id: nextId() },
      xml("body", {}, echoReply(body)),
      xml("active", { xmlns: CHATSTATES }),
      xml("request", { xmlns: RECEIPTS }),
    );
    c.send(reply).then(answered, () => {});
  }, TYPING_MS);
}

/** Logs the bot in (rejects with the client's error) and answers until stopped; reconnects after drops. */
export async function startEchoBot(o: EchoBotOptions): Promise<EchoBot> {
  const c = client({ service: o.service, domain: o.domain, username: o.username, password: o.password, resource: "bot" });
  const self = `${o.username}@${o.domain}`;
  let count = 0;
  c.on("error", () => {}); // reconnects by itself; start() reports the first failure
  // As in xmpp-user.ts: the initial presence waits for XEP-0198 to be enabled, or xmpp.js may count its
  // echo twice and Prosody ends the stream.
  const sm = (c as unknown as { streamManagement?: { enabled: boolean } }).streamManagement;
  c.on("online", async () => {
    for (let i = 0; i < 50 && sm && !sm.enabled; i++) await new Promise((r) => setTimeout(r, 100));
    c.send(xml("presence", {}, xml("status", {}, "Replies to every message"))).catch(() => {});
  });
  c.on("stanza", (st: Element) => {
    if (st.is("presence")) onPresence(c, self, st);
    else if (st.is("message")) onMessage(c, self, st, () => count++);
  });
  await c.start();
  return {
    jid: self,
    answered: () => count,
    stop: async () => {
      c.reconnect.stop();
      try {
        await c.stop();
      } catch {}
    },
  };
}
