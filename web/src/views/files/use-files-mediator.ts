/**
 * Mediator of the file views: what the upload service allows, the progress and errors of uploads, the
 * device copy of a waiting file, and the attach / cancel / retry use cases.
 */
import { useFacade } from "../../app/facade-context";
import type { ChatMessage } from "../../model/chats/chats-proxy";

export function useFilesMediator() {
  const facade = useFacade();
  const { files, device } = facade.model;
  const service = files.service.value;
  return {
    /** The server's limit in bytes; null = none said; undefined = not known (yet, or offline). */
    maxSize: typeof service === "object" ? service.maxSize : undefined,
    noService: service === "none",
    progress: (id: string) => files.progress.value.get(id),
    error: (id: string) => files.errors.value.get(id),
    localCopy: (id: string) => (device.account ? files.store.get(device.account, id) : Promise.resolve(undefined)),
    discover: () => facade.send("DISCOVER_UPLOAD"),
    attach: (to: string, file: Blob & { name?: string }) => facade.send("ATTACH_FILE", { to, file }),
    cancel: (id: string) => facade.send("CANCEL_UPLOAD", { id }),
    retry: (id: string) => facade.send("RETRY_UPLOAD", { id }),
    /** A received file's size and type, learned from its HEAD: kept with the message. */
    learn: (m: ChatMessage, size?: number, type?: string) =>
      facade.send("FILE_DETAILS", {
        message: { peer: m.peer, id: m.id, stanzaId: m.stanzaId, originId: m.originId },
        ...(size !== undefined ? { size } : {}),
        ...(type ? { type } : {}),
      }),
  };
}
