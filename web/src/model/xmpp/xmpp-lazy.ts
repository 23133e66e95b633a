/**
 * The XMPP entity, loaded on first use: the page paints (login form, or the device history) before
 * the xmpp.js client, SASL, stream management and the stanza parsers are fetched, parsed and run (a
 * separate chunk, precached by the service worker like the rest of the shell). Stanzas come only from
 * the entity, so the receiver is loaded by the time the first one arrives.
 */
import { lazyChunk } from "../../shared/lazy-chunk";
import type { CreateEntity, XmppEntity } from "./xmpp-entity";
import type { Receiver } from "./xmpp-receive";

/** The client chunk (fetched once; a failed fetch, offline or a deploy meanwhile, is tried again next time). */
const client = lazyChunk(() => import("./client-chunk"));

export const createLazyEntity: CreateEntity = (options, handlers) => {
  let real: Promise<XmppEntity> | null = null;
  let loaded: XmppEntity | null = null;
  const entity = () => {
    real ??= client.get().then((m) => {
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

/** The client chunk's receiver, used synchronously once loaded (a stanza before that waits for it). */
export const lazyReceiver: Receiver = {
  stanza: (ctx, el) => {
    const chunk = client.now();
    if (chunk) chunk.receiver.stanza(ctx, el);
    else void client.get().then((m) => m.receiver.stanza(ctx, el));
  },
  rosterPush: (iq, ownJid) => client.now()?.receiver.rosterPush(iq, ownJid) ?? null,
  blockPush: (iq, ownJid) => client.now()?.receiver.blockPush(iq, ownJid) ?? null,
};
