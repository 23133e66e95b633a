/**
 * Use case "a received file's card learned its size and type" (from a HEAD of its URL): the message
 * keeps them, in memory and in the device history, so the card reads the same offline and after a
 * reload, and the HEAD is not asked again.
 */
import type { Command } from "../../app/facade";

export const learnFileDetails: Command<"FILE_DETAILS"> = async ({ message, size, type }, { model }) => {
  model.chats.setFileDetails(message, {
    ...(size !== undefined && Number.isSafeInteger(size) && size >= 0 ? { size } : {}),
    ...(type ? { type } : {}),
  });
};
