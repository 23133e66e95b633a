/**
 * Keeps the device history (history-store.ts) in step with the chats, by group commit: changes wait
 * while a write is on its way to disk, then go in one transaction, so a burst of 10,000 incoming
 * messages costs a few hundred transactions, not 10,000 (nor 10,000 unread-count saves). Writes go
 * through the device's queue (in order, for the account shown).
 */
import { effect, type ReadonlySignal } from "@preact/signals";
import type { PendingAmendment } from "../chats/amendments";
import type { ChatMessage } from "../chats/chats-proxy";
import type { HistoryStore } from "./history-store";

export interface DeviceQueue {
  readonly account: string | null;
  write(fn: (store: HistoryStore, account: string) => Promise<void>): void;
}

export interface HistoryWriter {
  /** A message added or changed: saved with the next batch. */
  message(m: ChatMessage): void;
  /** The amendments waiting for their message changed: the latest list is saved with the next batch. */
  pending(all: PendingAmendment[]): void;
  /** Saves the unread counts whenever they change; returns the function that stops it. */
  watchUnread(unread: ReadonlySignal<ReadonlyMap<string, number>>): () => void;
}

export function historyWriter(device: DeviceQueue): HistoryWriter {
  const pending = new Map<string, Map<string, ChatMessage>>();
  const unreadFor = new Map<string, Array<[string, number]>>();
  const pendingFor = new Map<string, PendingAmendment[]>();
  return {
    message(m) {
      const account = device.account;
      if (!account) return;
      let batch = pending.get(account);
      if (!batch) {
        batch = new Map();
        pending.set(account, batch);
        device.write(async (s, acc) => {
          const msgs = [...(pending.get(acc)?.values() ?? [])];
          pending.delete(acc);
          if (msgs.length) await s.putMessages(acc, msgs);
        });
      }
      batch.set(`${m.peer}\n${m.direction}\n${m.id}`, m);
    },
    pending(all) {
      const account = device.account;
      if (!account) return;
      const queued = pendingFor.has(account);
      pendingFor.set(account, all);
      if (queued) return;
      device.write(async (s, acc) => {
        const latest = pendingFor.get(acc);
        pendingFor.delete(acc);
        if (latest) await s.putMeta(acc, "amendments", latest);
      });
    },
    watchUnread(unread) {
      return effect(() => {
        const counts = [...unread.value];
        const account = device.account;
        if (!account) return;
        const queued = unreadFor.has(account);
        unreadFor.set(account, counts);
        if (queued) return;
        device.write(async (s, acc) => {
          const latest = unreadFor.get(acc);
          unreadFor.delete(acc);
          if (latest) await s.putMeta(acc, "unread", latest);
        });
      });
    },
  };
}
