/**
 * The bookmarks node (XEP-0402, PEP node urn:xmpp:bookmarks:1) on a server that refuses the
 * publish-options of XEP-0402 §3.3: ejabberd 23.01's mod_pubsub knows only pubsub#persist_items and
 * pubsub#access_model there (any other field is a resource-constraint error, "Unknown field") and
 * creates PEP nodes keeping one item, so a second room's bookmark would replace the first. The
 * fallback publishes with the options every server knows, then configures the node (XEP-0060 §8.2,
 * pubsub#owner) to keep every item: XEP-0402 §3.3 asks for max_items "max".
 */
import { type Element, xml } from "@xmpp/xml";
import { NS_BOOKMARKS, NS_PUBSUB } from "./bookmarks";

const NS_PUBSUB_OWNER = "http://jabber.org/protocol/pubsub#owner";

/** The publish-options every XEP-0060 publish-options service knows: kept, private. */
export const BASIC_BOOKMARK_OPTIONS: Record<string, string> = {
  "pubsub#persist_items": "true",
  "pubsub#access_model": "whitelist",
};

const field = (name: string, value: string, type?: string) => xml("field", { var: name, type }, xml("value", {}, value));

/** Configures my bookmarks node to keep every bookmark, private (XEP-0060 §8.2.4 form submission). */
export function bookmarkNodeKeepAll(): Element {
  return xml(
    "iq",
    { type: "set" },
    xml(
      "pubsub",
      { xmlns: NS_PUBSUB_OWNER },
      xml(
        "configure",
        { node: NS_BOOKMARKS },
        xml(
          "x",
          { xmlns: "jabber:x:data", type: "submit" },
          field("FORM_TYPE", `${NS_PUBSUB}#node_config`, "hidden"),
          field("pubsub#max_items", "max"),
          field("pubsub#persist_items", "true"),
          field("pubsub#access_model", "whitelist"),
        ),
      ),
    ),
  );
}
