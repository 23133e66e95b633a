/**
 * The contact use cases that are not needed for the first paint, as one chunk loaded on first use
 * (app/lazy-command.ts): adding, approving, denying, renaming and removing contacts, avatars,
 * nicknames, blocking, and deleting a stranger's chat.
 */
export { lookUpAvatar, restoreAvatars } from "./avatars/avatar-lookup";
export { receiveContactEvent } from "./avatars/receive-contact-event";
export { setMyAvatar } from "./avatars/set-my-avatar";
export { blockContact, unblockContact } from "./blocking/block-contact";
export { loadBlocklist } from "./blocking/load-blocklist";
export { deleteChat } from "./chat/delete-chat";
export { addContact } from "./roster/add-contact";
export { approveSubscription } from "./roster/approve-subscription";
export { denySubscription } from "./roster/deny-subscription";
export { receiveCard } from "./roster/receive-subscription";
export { removeContact } from "./roster/remove-contact";
export { renameContact } from "./roster/rename-contact";

import { receiveContactEvent as contactEvent } from "./avatars/receive-contact-event";
import { setMyAvatar as myAvatar } from "./avatars/set-my-avatar";
import { blockContact as block, unblockContact as unblock } from "./blocking/block-contact";
import { deleteChat as deletion } from "./chat/delete-chat";
import { addContact as add } from "./roster/add-contact";
import { approveSubscription as approve } from "./roster/approve-subscription";
import { denySubscription as deny } from "./roster/deny-subscription";
import { removeContact as remove } from "./roster/remove-contact";
import { renameContact as rename } from "./roster/rename-contact";

/** The use cases of this chunk by notification (registered in app/facade.ts). */
export const byNotification = {
  ADD_CONTACT: add,
  REMOVE_CONTACT: remove,
  APPROVE_SUBSCRIPTION: approve,
  DENY_SUBSCRIPTION: deny,
  RENAME_CONTACT: rename,
  DELETE_CHAT: deletion,
  BLOCK_CONTACT: block,
  UNBLOCK_CONTACT: unblock,
  RECEIVE_CONTACT_EVENT: contactEvent,
  SET_MY_AVATAR: myAvatar,
};
