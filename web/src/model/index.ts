/** The model: every proxy, built once per facade. Deps are injectable so tests can use a fake entity. */
import type { AvatarCache } from "./avatars/avatar-cache";
import { AvatarsProxy } from "./avatars/avatars-proxy";
import { BlocklistProxy } from "./blocking/blocklist-proxy";
import { ArchiveProxy } from "./chats/archive-proxy";
import { ChatsProxy } from "./chats/chats-proxy";
import { DraftsProxy } from "./chats/drafts-proxy";
import { OutboxProxy } from "./chats/outbox-proxy";
import { type HistoryStore, noStore } from "./device/history-store";
import { historyWriter } from "./device/history-writer";
import { type FileStore, indexedDbFileStore, memoryFileStore } from "./files/file-store";
import { FilesProxy } from "./files/files-proxy";
import { InvitationsProxy } from "./rooms/invitations-proxy";
import { RoomsProxy } from "./rooms/rooms-proxy";
import { RosterProxy } from "./roster/roster-proxy";
import { type ConnectPolicy, pageConnectPolicy } from "./site/csp";
import type { WasBlocked } from "./site/policy-watch";
import { ClientState } from "./xmpp/client-state";
import type { CreateEntity } from "./xmpp/xmpp-entity";
import { type Notify, XmppProxy } from "./xmpp/xmpp-proxy";
import type { Receiver } from "./xmpp/xmpp-receive";

export interface ModelDeps {
  createEntity: CreateEntity;
  /** Turns the entity's stanzas into notifications: the client chunk's (xmpp-lazy.ts) in the app. */
  receiver: Receiver;
  notify: Notify;
  location?: { protocol: string; host: string };
  fetch?: typeof fetch;
  now?: () => number;
  wasBlocked?: WasBlocked;
  /** navigator.onLine by default (true where there is no navigator). */
  online?: () => boolean;
  /** The page's CSP connect-src; by default read with a HEAD of the page (null when that fails). */
  connectPolicy?: () => Promise<ConnectPolicy | null>;
  /** Where the last address is remembered (never the password); absent in tests. */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  /** This tab's sessionStorage: keeps the XEP-0198 stream resumable across a reload (never credentials). */
  session?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  /** The device history (IndexedDB in the browser); nothing is kept without one. */
  store?: HistoryStore;
  /** Files waiting in the outbox; IndexedDB beside a device history, else memory. */
  fileStore?: FileStore;
  /** Where avatars are kept on the device (Cache Storage in the browser). */
  avatarCache?: AvatarCache;
}

/** Which account's history the device is showing, and the chain of its pending writes. */
export interface Device {
  readonly account: string | null;
  /** The device now shows (and saves) `account`'s history; null: no account's. */
  useAccount(account: string | null): void;
  /** Resolves once every write queued so far is on disk. */
  saved(): Promise<void>;
  /** Queues a write for the current account (in order; failures are logged, not thrown). */
  write(fn: (store: HistoryStore, account: string) => Promise<void>): void;
}

export interface Model {
  xmpp: XmppProxy;
  roster: RosterProxy;
  chats: ChatsProxy;
  /** Paging back through each chat's server archive. */
  archive: ArchiveProxy;
  /** Unsent text per chat, and the chat open in this tab. */
  drafts: DraftsProxy;
  /** When the queued messages may be sent, one flush at a time. */
  outbox: OutboxProxy;
  /** File sharing: the upload service, uploads running, files waiting on the device. */
  files: FilesProxy;
  /** Contacts' (and my) avatars and nicknames. */
  avatars: AvatarsProxy;
  /** Addresses my account blocks (XEP-0191). */
  blocklist: BlocklistProxy;
  /** Whether the page is looked at (XEP-0352). */
  clientState: ClientState;
  /** The rooms I am in (XEP-0045), their occupants, mentions and mutes. */
  rooms: RoomsProxy;
  /** Invitations to rooms waiting for an answer (this session only). */
  invitations: InvitationsProxy;
  storage: ModelDeps["storage"];
  store: HistoryStore;
  device: Device;
  now: () => number;
  /** Stops what the model watches (the unread counts it saves); for a facade that is thrown away. */
  dispose: () => void;
}

function createDevice(store: HistoryStore): Device {
  let last: Promise<void> = Promise.resolve();
  let account: string | null = null;
  return {
    get account() {
      return account;
    },
    useAccount(next) {
      account = next;
    },
    saved: () => last,
    write(fn) {
      const current = account;
      if (!current) return;
      last = last.then(() => fn(store, current)).catch((err) => console.warn("device history:", err));
    },
  };
}

export function createModel(deps: ModelDeps): Model {
  const now = deps.now ?? Date.now;
  const store = deps.store ?? noStore;
  const device = createDevice(store);
  const writer = historyWriter(device);
  const chats = new ChatsProxy(writer.message, writer.pending);
  const stopSavingUnread = writer.watchUnread(chats.unread);
  const location = deps.location ?? globalThis.location ?? { protocol: "http:", host: "localhost" };
  const fetcher: typeof fetch = deps.fetch ?? ((...args) => globalThis.fetch(...args));
  // The page itself (any path of this host carries the same policy); without a hash, which is never sent.
  const page = () => globalThis.location?.href.replace(/#.*$/, "") ?? `${location.protocol}//${location.host}/`;
  return {
    xmpp: new XmppProxy({
      createEntity: deps.createEntity,
      receiver: deps.receiver,
      notify: deps.notify,
      location,
      fetch: fetcher,
      now,
      wasBlocked: deps.wasBlocked ?? (() => false),
      online: deps.online ?? (() => globalThis.navigator?.onLine ?? true),
      connectPolicy: deps.connectPolicy ?? pageConnectPolicy(fetcher, page),
      session: deps.session,
      storage: deps.storage,
    }),
    roster: new RosterProxy(),
    archive: new ArchiveProxy(),
    drafts: new DraftsProxy(deps.storage, deps.session),
    chats,
    outbox: new OutboxProxy(),
    files: new FilesProxy(
      deps.fileStore ?? (deps.store && globalThis.indexedDB ? indexedDbFileStore() : memoryFileStore()),
      deps.storage,
    ),
    avatars: new AvatarsProxy(async () => deps.avatarCache ?? (await import("./avatars/avatar-cache")).browserAvatarCache()),
    blocklist: new BlocklistProxy(),
    clientState: new ClientState(),
    rooms: new RoomsProxy(),
    invitations: new InvitationsProxy(),
    storage: deps.storage,
    store,
    device,
    now,
    dispose: stopSavingUnread,
  };
}
