// The device history shared by several tabs (IndexedDB 3.0 §2.7 "versionchange", §4.1 "blocked"),
// on fake-indexeddb: a newer tab's upgrade never waits on this one, which closes and says "reload";
// this tab's own upgrade, held up by an older tab, says so and goes on once that tab lets go.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { indexedDbStore } from "../../../web/src/model/device/history-store";

const ALICE = "alice@example.org";
const msg = { id: "1", peer: "bob@example.org", direction: "in" as const, body: "hi", at: 1, state: "delivered" as const };

/** Opens the database as another tab would, at `version`; says whether it had to wait (blocked). */
function otherTab(factory: IDBFactory, version: number, upgrade?: (db: IDBDatabase) => void) {
  const events: string[] = [];
  const db = new Promise<IDBDatabase>((resolve, reject) => {
    const req = factory.open("porthole", version);
    req.onupgradeneeded = () => upgrade?.(req.result);
    req.onblocked = () => events.push("blocked");
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return { db, events };
}

const within = <T>(p: Promise<T>, ms = 1000) => Promise.race([p, new Promise<"hung">((r) => setTimeout(() => r("hung"), ms))]);

describe("history-store across tabs", () => {
  it("closes when another tab upgrades the database, which then opens at once; this tab says reload", async () => {
    const factory = new IDBFactory();
    const store = indexedDbStore(factory);
    await store.putMessages(ALICE, [msg]);
    expect(store.status?.value).toBe("open");
    const newer = otherTab(factory, 2, (db) => db.createObjectStore("added-by-v2"));
    const db = await within(newer.db);
    expect(db).not.toBe("hung");
    expect((db as IDBDatabase).version).toBe(2);
    // The messages survived the upgrade (it only added a store).
    const rows = await new Promise<unknown[]>((resolve) => {
      const req = (db as IDBDatabase).transaction("messages").objectStore("messages").getAll();
      req.onsuccess = () => resolve(req.result);
    });
    expect(rows).toHaveLength(1);
    expect(store.status?.value).toBe("replaced");
    // This tab no longer touches the database: a clear refusal, not a hang or a version error.
    await expect(store.putMessages(ALICE, [{ ...msg, id: "2" }])).rejects.toThrow(/updated in another tab: reload/);
    (db as IDBDatabase).close();
  });

  it("an upgrade held up by an older tab says blocked, then opens once that tab closes", async () => {
    const factory = new IDBFactory();
    await indexedDbStore(factory).putMessages(ALICE, [msg]);
    // An old tab whose code never heard of versionchange: it keeps its connection.
    const old = await otherTab(factory, 1).db;
    old.onversionchange = null;
    const store = indexedDbStore(factory, 2);
    const loading = store.load(ALICE);
    expect(await within(loading, 200)).toBe("hung");
    expect(store.status?.value).toBe("blocked");
    old.close();
    expect((await loading).messages).toEqual([msg]);
    expect(store.status?.value).toBe("open");
  });
});
