/**
 * Saving a room's bookmark (XEP-0402 §3.3) so every device of the account joins it: published with
 * XEP-0402's publish-options; a server that refuses them (ejabberd 23.01: "Unknown field
 * 'pubsub#max_items'") gets the basic options, then its node is configured to keep every bookmark
 * (bookmark-node.ts). A bookmark that cannot be saved is logged, never an error for the join.
 */
import type { Model } from "../../model/index";
import { BASIC_BOOKMARK_OPTIONS, bookmarkNodeKeepAll } from "../../model/stanzas/bookmark-node";
import type { Bookmark } from "../../model/stanzas/bookmarks";
import { bookmarkPublish } from "../../model/stanzas/bookmarks";

export async function publishBookmark(model: Model, b: Bookmark): Promise<void> {
  const { xmpp } = model;
  try {
    await xmpp.request(bookmarkPublish(b));
    return;
  } catch {
    // the service refused XEP-0402's publish-options: the basic ones, then the node keeps every item
  }
  try {
    await xmpp.request(bookmarkPublish(b, BASIC_BOOKMARK_OPTIONS));
    await xmpp.request(bookmarkNodeKeepAll());
  } catch (err) {
    console.warn("bookmark not saved:", err);
  }
}
