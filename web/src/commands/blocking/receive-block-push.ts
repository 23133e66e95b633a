/** My server changed the blocklist (XEP-0191 push: from this client or another of mine). */
import type { Command } from "../../app/facade";

export const receiveBlockPush: Command<"RECEIVE_BLOCK_PUSH"> = ({ kind, jids }, { model }) => {
  if (kind === "block") model.blocklist.add(jids);
  else model.blocklist.remove(jids);
};
