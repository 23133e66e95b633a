/** At session start: the whole blocklist (XEP-0191 §3.2); a server without XEP-0191 leaves it empty. */
import type { Model } from "../../model/index";
import { blocklistGet, parseBlocklist } from "../../model/stanzas/blocking-requests";

export async function loadBlocklist(model: Model): Promise<void> {
  const result = await model.xmpp.request(blocklistGet()).catch(() => null);
  model.blocklist.setAll(result ? parseBlocklist(result) : []);
}
