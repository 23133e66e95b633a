/**
 * Mediator of "create a room" and of the invitations waiting for an answer: the create use case
 * (resolves true once the room exists and is configured), its refusal as a sentence, the pending
 * invitations (XEP-0249 / XEP-0045 §7.8.2) with accept and decline, and a nickname to suggest.
 */
import { useSignal } from "@preact/signals";
import { useFacade, useNotification } from "../../app/facade-context";
import { domainOf, localOf } from "../../model/stanzas/jid";

export function useCreateRoomMediator() {
  const facade = useFacade();
  const { invitations, xmpp } = facade.model;
  const problem = useSignal<string | null>(null);
  const notice = useSignal<string | null>(null);
  useNotification("COMMAND_FAILED", ({ command, message }) => {
    if (command === "CREATE_ROOM" || command === "ACCEPT_INVITATION") problem.value = message;
  });
  useNotification("ROOM_CREATED", ({ created }) => {
    notice.value = created ? null : "That room already existed: you joined it as it is.";
  });
  return {
    problem: problem.value,
    notice: notice.value,
    invitations: invitations.pending.value,
    suggestedNick: localOf(xmpp.bare),
    domain: domainOf(xmpp.bare) || "example.org",
    create: async (req: { room: string; nick: string; name: string; membersOnly: boolean; archived: boolean }) => {
      problem.value = null;
      notice.value = null;
      await facade.send("CREATE_ROOM", req);
      return problem.peek() === null;
    },
    accept: (room: string, nick: string) => {
      problem.value = null;
      return facade.send("ACCEPT_INVITATION", { room, nick });
    },
    decline: (room: string) => facade.send("DECLINE_INVITATION", { room, reason: "" }),
  };
}
