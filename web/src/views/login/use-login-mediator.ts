/**
 * Mediator of the login view (seed: LoginMediator): holds what was typed (kept on failure), sends
 * LOGIN, and turns INVALID_LOGIN / UNREACHABLE into two different inline messages.
 */
import { useSignal } from "@preact/signals";
import { useFacade, useNotification } from "../../app/facade-context";

export type LoginProblem = { kind: "invalid" | "unreachable"; message: string } | null;

export function useLoginMediator() {
  const facade = useFacade();
  const { xmpp } = facade.model;
  const address = useSignal(xmpp.lastAddress.peek());
  const password = useSignal("");
  const websocketUrl = useSignal("");
  const problem = useSignal<LoginProblem>(null);
  useNotification("INVALID_LOGIN", ({ message }) => {
    problem.value = { kind: "invalid", message };
  });
  useNotification("UNREACHABLE", ({ message }) => {
    problem.value = { kind: "unreachable", message };
  });
  useNotification("COMMAND_FAILED", ({ command, message }) => {
    if (command === "LOGIN") problem.value = { kind: "unreachable", message };
  });
  return {
    address,
    password,
    websocketUrl,
    problem: problem.value,
    busy: xmpp.state.value === "connecting",
    submit: () => {
      problem.value = null;
      void facade.send("LOGIN", { address: address.value, password: password.value, websocketUrl: websocketUrl.value });
    },
  };
}
