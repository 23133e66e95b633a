/**
 * The use cases that send rich messages, in one chunk fetched the first time one runs (they are not
 * needed for the first paint): correct, retract, react, mark displayed, and the reply part of sending.
 */

export { asReply } from "../../model/stanzas/rich-build";
export { correctMessage } from "./correct-message";
export { markDisplayed } from "./mark-displayed";
export { reactMessage } from "./react-message";
export { retractMessage } from "./retract-message";
