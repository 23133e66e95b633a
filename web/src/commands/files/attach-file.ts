/**
 * Use case "send a file": a picked, photographed, pasted or dropped file is prepared (photos resized
 * and stripped of metadata unless the original was asked for, model/files/prepare-image.ts, loaded on
 * first use), refused at once when it is over the server's known limit (XEP-0363 §3 max-file-size),
 * kept on the device and queued like a text message; the outbox uploads and sends it (flush-outbox.ts),
 * now or after a reconnection or reload. To a contact, or to a room occupant in a private conversation
 * (XEP-0045 §7.5: the outbox marks it with <x xmlns=muc#user/>).
 */
import type { Command } from "../../app/facade";
import { formatSize } from "../../model/files/shared-file";
import { isChatPeer } from "../../model/rooms/private-chats";

export const attachFile: Command<"ATTACH_FILE"> = async ({ to, file }, { model, facade }) => {
  if (!isChatPeer(to)) throw new Error(`Not a chat address: ${to}`);
  const account = model.device.account;
  if (!account) throw new Error("Log in to send files.");
  // Its place in the conversation is when it was picked: a text typed while it is prepared goes after it.
  const at = model.chats.reserveOutgoing(model.now());
  const release = model.files.holdOutbox(at);
  try {
    const { prepareFile } = await import("../../model/files/prepare-image");
    const prepared = await prepareFile(file, model.files.original.value);
    const service = model.files.service.value;
    if (typeof service === "object" && service.maxSize !== null && prepared.blob.size > service.maxSize) {
      throw new Error(
        `${prepared.name} is ${formatSize(prepared.blob.size)}: this server takes files up to ${formatSize(service.maxSize)}.`,
      );
    }
    const id = crypto.randomUUID?.() ?? `f${model.now().toString(36)}${Math.random().toString(36).slice(2)}`;
    await model.files.store.put(account, id, prepared.blob);
    model.chats.addOutgoing(
      {
        id,
        peer: to,
        body: "",
        at,
        state: "queued",
        file: { name: prepared.name, size: prepared.blob.size, type: prepared.type, local: true },
      },
      true,
    );
    await model.device.saved();
  } catch (err) {
    release();
    // What was held behind it goes now.
    void facade.send("FLUSH_OUTBOX");
    throw err;
  }
  release();
  await facade.send("FLUSH_OUTBOX");
};
