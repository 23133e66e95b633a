// What the file end-to-end tests share: a Node peer uploading and sending a file as Conversations does
// (XEP-0363: a slot request to upload.<domain>, then a PUT to the slot's URL with the slot's headers;
// the message its MessageGenerator.generateChat builds: body = the URL, XEP-0066 OOB, a receipt
// request, and the origin-id preparePacket adds with the message's own id), and the files a peer
// received, as [body, OOB URL].
import { type Element as XmlElement, xml } from "@xmpp/client";
import { expect } from "vitest";
import type { Peer } from "./chat-support";

export const NS_UPLOAD = "urn:xmpp:http:upload:0";
export const NS_OOB = "jabber:x:oob";

/** The messages `peer` received that carry an OOB URL, as [body, url]. */
export function filesReceived(peer: Peer): string[][] {
  return peer.received
    .filter((el) => el.is("message") && el.getChild("x", NS_OOB))
    .map((el) => [el.getChildText("body") ?? "", el.getChild("x", NS_OOB)?.getChildText("url") ?? ""]);
}

/** `peer` uploads `bytes` through the service of `domain`; resolves with the file's GET URL. */
export async function peerUploads(
  peer: Peer,
  domain: string,
  name: string,
  type: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const answer: XmlElement = await peer.xmpp.iqCaller.request(
    xml(
      "iq",
      { type: "get", to: `upload.${domain}` },
      xml("request", { xmlns: NS_UPLOAD, filename: name, size: String(bytes.length), "content-type": type }),
    ),
  );
  const slot = answer.getChild("slot", NS_UPLOAD);
  const put = slot?.getChild("put");
  const headers: Record<string, string> = { "content-type": type };
  for (const h of put?.getChildren("header") ?? []) headers[String(h.attrs.name)] = h.text();
  const res = await fetch(String(put?.attrs.url), { method: "PUT", body: bytes, headers });
  expect(
    `${res.status} ${(await res.clone().text()).replace(/\s+/g, " ").slice(-600)} ${String(put?.attrs.url)}`,
    `PUT ${name}`,
  ).toMatch(/^201/);
  return String(slot?.getChild("get")?.attrs.url);
}

/** `peer` sends the file at `url` to `to`, as Conversations does. */
export async function peerSendsFile(peer: Peer, to: string, url: string, id: string): Promise<void> {
  await peer.xmpp.send(
    xml(
      "message",
      { to, type: "chat", id },
      xml("body", {}, url),
      xml("x", { xmlns: NS_OOB }, xml("url", {}, url)),
      xml("request", { xmlns: "urn:xmpp:receipts" }),
      xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
    ),
  );
}
