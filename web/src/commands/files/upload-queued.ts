/**
 * One file of the outbox goes up (XEP-0363): the service is found if not yet known, a slot is asked
 * for (§4), the device's copy is PUT with progress (§5), and the message learns the URL, which is then
 * sent like its text (flush-outbox.ts keeps the order with the other queued messages). Loaded on first
 * use, not with the app.
 *
 * "ready": the message has its URL; "stop": it could not go now (no answer, network cut, stalled PUT,
 * the service busy: 408, 429, 502, 503, 504) and stays queued for the next try (flush-outbox.ts asks
 * for one after a wait, and every reconnection sends the outbox); "failed": refused or cancelled (it
 * is marked failed with a reason and can be retried by hand).
 */
import type { Model } from "../../model";
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { discoverUpload } from "../../model/files/discover-upload";
import { putFile } from "../../model/files/put-file";
import { formatSize } from "../../model/files/shared-file";
import { parseSlot, slotRequest, type UploadService } from "../../model/stanzas/upload";

export type UploadOutcome = "ready" | "stop" | "failed";

/** Answers that say "not now" rather than "no" (RFC 9110 §15.5.9, §15.6.3-5; RFC 6585 §4). */
const BUSY = [408, 429, 502, 503, 504];

/** The session's upload service, asked once. */
export async function uploadService(model: Model): Promise<UploadService | null> {
  const known = model.files.service.value;
  if (known === "none") return null;
  if (known !== "unknown") return known;
  const domain = model.xmpp.bare.split("@")[1] ?? "";
  const found = await discoverUpload((iq) => model.xmpp.request(iq), domain);
  model.files.setService(found ?? "none");
  return found;
}

export async function uploadQueued(msg: ChatMessage, model: Model): Promise<UploadOutcome> {
  const { files, chats, device } = model;
  const file = msg.file;
  const account = device.account;
  if (!file || !account) return "failed";
  const fail = (why: string): UploadOutcome => {
    files.setError(msg.id, why);
    chats.setState(msg.id, "failed");
    return "failed";
  };
  const blob = await files.store.get(account, msg.id);
  if (!blob) return fail("The file is no longer on this device.");
  let service: UploadService | null;
  try {
    service = await uploadService(model);
  } catch {
    return "stop";
  }
  if (!service) return fail("This server offers no file upload (XEP-0363).");
  if (service.maxSize !== null && blob.size > service.maxSize) {
    return fail(`${formatSize(blob.size)} is more than this server takes (${formatSize(service.maxSize)}).`);
  }
  let slotIq: Awaited<ReturnType<Model["xmpp"]["request"]>>;
  try {
    slotIq = await model.xmpp.request(slotRequest(service.jid, file.name, blob.size, file.type ?? ""));
  } catch (err) {
    // Only the service's own refusal (an error answer, XEP-0363 §4.1) fails the file; no answer at all
    // (timeout, connection lost) leaves it queued for the next try.
    if (!(err instanceof Error && err.name === "StanzaError")) return "stop";
    return fail(`The server gave no upload slot: ${err.message}`);
  }
  const slot = parseSlot(slotIq);
  if (!slot) return fail("The server's upload slot has no usable address.");
  if (new URL(slot.put, location.href).origin !== location.origin) {
    return fail(`The upload address is on ${new URL(slot.put).host}, not this site: its policy allows only this host.`);
  }
  chats.setState(msg.id, "sending");
  const signal = files.started(msg.id);
  try {
    const res = await putFile(
      slot.put,
      blob,
      file.type || "application/octet-stream",
      slot.headers,
      (f) => files.setProgress(msg.id, f),
      signal,
      files.stallMs,
    );
    if (BUSY.includes(res.status)) {
      chats.setState(msg.id, "queued");
      return "stop";
    }
    if (res.status < 200 || res.status > 299) return fail(`The upload was refused (HTTP ${res.status}).`);
  } catch (err) {
    if ((err as Error).message === "aborted") return fail("Upload cancelled.");
    chats.setState(msg.id, "queued");
    return "stop";
  } finally {
    files.ended(msg.id);
  }
  chats.setFile(msg.id, { ...file, url: slot.get, size: blob.size, local: false });
  await device.saved();
  await files.store.delete(account, msg.id).catch(() => {});
  files.uploaded();
  return "ready";
}
