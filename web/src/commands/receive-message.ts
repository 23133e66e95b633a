/**
 * An incoming message (seed: RECEIVE_MESSAGE): chat bodies go to their thread (deduplicated by id,
 * unread unless open) and get a XEP-0184 receipt when asked; receipts and errors update delivery state.
 */
import type { Command } from "../app/facade";
import { receipt } from "../model/stanzas";

export const receiveMessage: Command<"RECEIVE_MESSAGE"> = async (msg, { model }) => {
  const { chats, xmpp } = model;
  if (msg.type === "error") {
    if (msg.id) chats.setState(msg.id, "failed");
    return;
  }
  if (msg.receiptFor) chats.setState(msg.receiptFor, "delivered");
  if (msg.body === null || msg.type === "groupchat" || msg.type === "headline") return;
  if (msg.bare === xmpp.bare) return;
  const fresh = chats.receive({ id: msg.id, peer: msg.bare, body: msg.body, at: msg.at });
  if (msg.receiptRequested && xmpp.isOnline()) await xmpp.send(receipt(msg.from, msg.id));
  void fresh;
};
