/**
 * Stanzas of file sharing, built and parsed here (the rest of the app never touches their XML):
 * XEP-0030 service discovery of the upload service, XEP-0363 HTTP File Upload (§3 discovery with the
 * `max-file-size` field of the XEP-0128 form, §4 slot request and answer), and XEP-0066 out-of-band
 * data in messages. A file message is built as Conversations (MessageGenerator.generateChat: the body
 * is the URL, plus `<x xmlns='jabber:x:oob'><url>URL</url></x>`) and Converse.js
 * (src/headless/plugins/chat/model.js createMessageStanza: `c('x', {xmlns: Strophe.NS.OUTOFBAND}).c('url')`)
 * send it, with this client's receipt request, origin-id and chat state.
 */
import { type Element, xml } from "@xmpp/xml";
import { NS_CHATSTATES, NS_RECEIPTS, NS_SID } from "./stanzas";

export const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const NS_UPLOAD = "urn:xmpp:http:upload:0";
export const NS_OOB = "jabber:x:oob";
const NS_DATA = "jabber:x:data";

export interface UploadService {
  jid: string;
  /** Largest file the service takes, in bytes (XEP-0363 §3 max-file-size), or null when it says none. */
  maxSize: number | null;
}

export interface UploadSlot {
  put: string;
  get: string;
  /** Headers to send with the PUT; only the three XEP-0363 §4 allows (Authorization, Cookie, Expires). */
  headers: Record<string, string>;
}

export function discoItems(to: string): Element {
  return xml("iq", { type: "get", to }, xml("query", { xmlns: NS_DISCO_ITEMS }));
}

export function discoInfo(to: string): Element {
  return xml("iq", { type: "get", to }, xml("query", { xmlns: NS_DISCO_INFO }));
}

/** The JIDs of a disco#items result. */
export function parseItems(iq: Element): string[] {
  const query = iq.getChild("query", NS_DISCO_ITEMS);
  return (query?.getChildren("item") ?? []).map((i) => i.attrs.jid as string).filter((j): j is string => !!j);
}

/** The upload service described by a disco#info result of `jid`, or null when it offers no XEP-0363. */
export function parseUploadService(jid: string, iq: Element): UploadService | null {
  const query = iq.getChild("query", NS_DISCO_INFO);
  if (!query?.getChildren("feature").some((f) => f.attrs.var === NS_UPLOAD)) return null;
  let maxSize: number | null = null;
  for (const form of query.getChildren("x", NS_DATA)) {
    const fields = form.getChildren("field");
    const type = fields.find((f) => f.attrs.var === "FORM_TYPE")?.getChildText("value");
    if (type !== NS_UPLOAD) continue;
    const value =
      fields
        .find((f) => f.attrs.var === "max-file-size")
        ?.getChildText("value")
        ?.trim() ?? "";
    if (/^\d{1,15}$/.test(value)) maxSize = Number(value);
  }
  return { jid, maxSize };
}

/** XEP-0363 §4: a slot request. */
export function slotRequest(service: string, filename: string, size: number, contentType: string): Element {
  return xml(
    "iq",
    { type: "get", to: service },
    xml("request", { xmlns: NS_UPLOAD, filename, size: String(size), "content-type": contentType || undefined }),
  );
}

const SLOT_HEADERS = new Set(["authorization", "cookie", "expires"]);

/** The slot of a §4 answer, or null when it has no http(s) put/get URL. */
export function parseSlot(iq: Element): UploadSlot | null {
  const slot = iq.getChild("slot", NS_UPLOAD);
  const put = slot?.getChild("put")?.attrs.url as string | undefined;
  const get = slot?.getChild("get")?.attrs.url as string | undefined;
  if (!put || !get || !/^https?:\/\//i.test(put) || !/^https?:\/\//i.test(get)) return null;
  const headers: Record<string, string> = {};
  for (const h of slot?.getChild("put")?.getChildren("header") ?? []) {
    const name = String(h.attrs.name ?? "");
    const value = h.text().replace(/[\r\n]/g, "");
    if (SLOT_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  return { put, get, headers };
}

/** A file message: body = URL and the XEP-0066 element, as Conversations and Converse.js send it. */
export function fileMessage(to: string, url: string, id: string): Element {
  return xml(
    "message",
    { type: "chat", to, id },
    xml("body", {}, url),
    xml("x", { xmlns: NS_OOB }, xml("url", {}, url)),
    xml("request", { xmlns: NS_RECEIPTS }),
    xml("origin-id", { xmlns: NS_SID, id }),
    xml("active", { xmlns: NS_CHATSTATES }),
  );
}

/** The XEP-0066 URL of a message, when there is one and it is http(s). */
export function parseOobUrl(message: Element): string | null {
  const url = message.getChild("x", NS_OOB)?.getChildText("url")?.trim() ?? "";
  return /^https?:\/\/\S+$/i.test(url) ? url : null;
}
