/**
 * Finds the account's upload service (XEP-0363 §3): the items of the account's domain (XEP-0030
 * disco#items), then the first whose disco#info offers `urn:xmpp:http:upload:0`, with its
 * `max-file-size`. The domain itself is asked too (a server may offer the feature on its own JID).
 * Null only when the server answered and offers none; when a question got no answer (timeout, the
 * connection dropped), it throws, so a queued file waits instead of failing.
 */
import type { Element } from "@xmpp/xml";
import { discoInfo, discoItems, parseItems, parseUploadService, type UploadService } from "../stanzas/upload";

export type Request = (iq: Element) => Promise<Element>;

/** An error answer of the entity (RFC 6120 §8.3; xmpp.js rejects with a StanzaError): "not here". */
function answered(err: unknown): boolean {
  return err instanceof Error && err.name === "StanzaError";
}

export async function discoverUpload(request: Request, domain: string): Promise<UploadService | null> {
  let items: string[] = [];
  try {
    items = parseItems(await request(discoItems(domain)));
  } catch (err) {
    if (!answered(err)) throw err;
  }
  for (const jid of [...items.slice(0, 20), domain]) {
    try {
      const service = parseUploadService(jid, await request(discoInfo(jid)));
      if (service) return service;
    } catch (err) {
      if (!answered(err)) throw err;
    }
  }
  return null;
}
