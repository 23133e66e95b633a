/**
 * Use cases "cancel an upload" and "try a failed upload again": a running PUT is aborted (the message
 * is then marked failed, its file kept on the device); a failed one goes back to the outbox, in its
 * place by time (its error is cleared when the upload starts again), and the outbox is flushed.
 */
import type { Command } from "../../app/facade";

export const cancelUpload: Command<"CANCEL_UPLOAD"> = async ({ id }, { model }) => {
  if (model.files.abort(id)) return;
  const msg = model.chats.outgoing(id);
  if (msg?.state === "queued" && msg.file && !msg.file.url) {
    model.files.setError(id, "Upload cancelled.");
    model.chats.setState(id, "failed");
  }
};

export const retryUpload: Command<"RETRY_UPLOAD"> = async ({ id }, { model, facade }) => {
  const msg = model.chats.outgoing(id);
  if (msg?.state !== "failed") return;
  model.chats.setState(id, "queued");
  await model.device.saved();
  await facade.send("FLUSH_OUTBOX");
};
