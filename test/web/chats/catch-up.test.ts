// Archive catch-up paging (web/src/commands/session/catch-up.ts) against a scripted archive: pages of 100
// after the newest archive id (RSM `after`, XEP-0059 §2.2), stopping at `complete` or at a page with
// no last id, at most 50 pages even when a server never says complete; an id the archive no longer
// knows falls back to the newest page (`before` empty, §2.5); on a new device the newest 50 arrive
// quietly (not unread), and later catch-ups count again.
import type { Element } from "@xmpp/client";
import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { catchUp } from "../../../web/src/commands/session/catch-up";
import { ChatsProxy } from "../../../web/src/model/chats/chats-proxy";
import type { Model } from "../../../web/src/model/index";

const NS_MAM = "urn:xmpp:mam:2";
const NS_RSM = "http://jabber.org/protocol/rsm";

/** What each query asked for: "after:<id>/<max>" or "newest/<max>", and whether it ran as a quiet read. */
function archive(answer: (after: string | null, n: number) => Element | Error, lastStanzaId: string | null) {
  const asked: string[] = [];
  const quiet: boolean[] = [];
  const chats = new ChatsProxy();
  chats.lastStanzaId = () => lastStanzaId;
  const model = {
    now: () => 1_700_000_000_000,
    chats,
    xmpp: {
      request: async (iq: Element) => {
        const set = iq.getChild("query", NS_MAM)?.getChild("set", NS_RSM);
        const after = set?.getChildText("after") ?? null;
        asked.push(`${after ? `after:${after}` : set?.getChild("before") ? "newest" : "?"}/${set?.getChildText("max")}`);
        quiet.push(!chats.archiveCountsUnread());
        const r = answer(after, asked.length);
        if (r instanceof Error) throw r;
        return r;
      },
    },
  } as unknown as Model;
  return { model, asked, quiet, chats };
}
const fin = (complete: boolean, last?: string) =>
  xml(
    "iq",
    { type: "result" },
    xml("fin", { xmlns: NS_MAM, complete: String(complete) }, xml("set", { xmlns: NS_RSM }, last ? xml("last", {}, last) : null)),
  );

describe("catch-up", () => {
  it("pages after the newest known id until the archive says complete", async () => {
    const a = archive((_after, n) => (n < 3 ? fin(false, `arch-${n}`) : fin(true, `arch-${n}`)), "arch-0");
    await catchUp(a.model);
    expect(a.asked).toEqual(["after:arch-0/100", "after:arch-1/100", "after:arch-2/100"]);
    expect(a.quiet).toEqual([false, false, false]);
  });

  it("stops at a page with no last id (nothing more to page through)", async () => {
    const a = archive(() => fin(false), "arch-0");
    await catchUp(a.model);
    expect(a.asked).toEqual(["after:arch-0/100"]);
  });

  it("asks at most 50 pages from a server that never says complete", async () => {
    const a = archive((_after, n) => fin(false, `arch-${n}`), "arch-0");
    await catchUp(a.model);
    expect(a.asked).toHaveLength(50);
    expect(a.asked.at(-1)).toBe("after:arch-49/100");
  });

  it("falls back to the newest page when the archive no longer knows the id", async () => {
    const a = archive((after) => (after ? new Error("item-not-found") : fin(true, "arch-99")), "expired");
    await catchUp(a.model);
    expect(a.asked).toEqual(["after:expired/100", "newest/50"]);
    // Missed messages, not old news: they count as unread.
    expect(a.quiet).toEqual([false, false]);
  });

  it("on a new device takes the newest 50 quietly, and is loud again afterwards, even when that query fails", async () => {
    const a = archive(() => fin(true, "arch-1"), null);
    await catchUp(a.model);
    expect(a.asked).toEqual(["newest/50"]);
    expect(a.quiet).toEqual([true]);
    expect(a.chats.archiveCountsUnread()).toBe(true);
    const b = archive(() => new Error("timeout"), null);
    await expect(catchUp(b.model)).rejects.toThrow("timeout");
    expect(b.chats.archiveCountsUnread()).toBe(true);
  });
});
