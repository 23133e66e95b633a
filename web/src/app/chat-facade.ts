/**
 * The facade over the real XMPP client with this browser's storage (localStorage, sessionStorage,
 * the IndexedDB device history): what the app (main.tsx) and the watch page's chat (watch/watch-chat.tsx)
 * run on.
 */
import { indexedDbStore } from "../model/device/history-store";
import { watchBlockedConnections } from "../model/site/policy-watch";
import { createLazyEntity, lazyReceiver } from "../model/xmpp/xmpp-lazy";
import { createFacade, type Facade } from "./facade";

export function createChatFacade(): Facade {
  return createFacade({
    createEntity: createLazyEntity,
    receiver: lazyReceiver,
    storage: localStorage,
    session: sessionStorage,
    store: typeof indexedDB === "undefined" ? undefined : indexedDbStore(),
    wasBlocked: watchBlockedConnections(document),
  });
}
