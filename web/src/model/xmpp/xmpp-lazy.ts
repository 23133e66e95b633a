/**
 * The XMPP entity, loaded on first use: the page paints (login form, or the device history) before
 * the xmpp.js client, SASL and stream management are fetched, parsed and run (a separate chunk,
 * precached by the service worker like the rest of the shell).
 */
import type { CreateEntity, XmppEntity } from "./xmpp-entity";

export const createLazyEntity: CreateEntity = (options, handlers) => {
  let real: Promise<XmppEntity> | null = null;
  let loaded: XmppEntity | null = null;
  const entity = () => {
    real ??= import("./client-chunk").then((m) => {
      loaded = m.createXmppEntity(options, handlers);
      return loaded;
    });
    return real;
  };
  return {
    start: async () => (await entity()).start(),
    stop: async () => (await entity()).stop(),
    send: async (el) => (await entity()).send(el),
    request: async (iq) => (await entity()).request(iq),
    acknowledges: () => loaded?.acknowledges() ?? false,
    features: () => loaded?.features() ?? new Set(),
    reconnectNow: () => void entity().then((e) => e.reconnectNow()),
  };
};
