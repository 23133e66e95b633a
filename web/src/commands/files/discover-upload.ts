/**
 * Use case "know the upload limit": once per session, when a chat that can send files is shown, the
 * upload service and its size limit are looked up (XEP-0363 §3), so the limit shows before a file is
 * picked. Offline it waits: the outbox asks again before uploading.
 */
import type { Command } from "../../app/facade";

export const discoverUploadService: Command<"DISCOVER_UPLOAD"> = async (_body, { model }) => {
  if (model.files.service.value !== "unknown" || !model.xmpp.isOnline()) return;
  const { uploadService } = await import("./upload-queued");
  await uploadService(model).catch(() => {});
};
