// What the message log counts as news (web/src/views/chat/news.ts): the "N new messages" divider and the
// "↓ N new" button count others' messages only (my reply after the divider is not news to me), and the
// log is at its bottom whenever its end is in view (then no "↓ N new" button is shown).
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../../web/src/model/chats/chats-proxy";
import { atBottom, othersFrom } from "../../../web/src/views/chat/news";

const msg = (id: string, direction: "in" | "out", nick?: string): ChatMessage => ({
  id,
  peer: "room@conference.example.org",
  direction,
  body: id,
  at: 0,
  state: direction === "in" ? "delivered" : "sent",
  room: true,
  ...(nick ? { nick } : {}),
});

describe("news in a room's log", () => {
  it("the divider's count leaves out my own reply", () => {
    const list = [msg("old", "in", "bob"), msg("n1", "in", "bob"), msg("n2", "in", "carol"), msg("reply", "out")];
    expect(othersFrom(list, 1)).toBe(2);
    expect(othersFrom(list, 3)).toBe(0);
    expect(othersFrom(list, 4)).toBe(0);
    expect(othersFrom(list, -1)).toBe(3);
  });

  it("the end in view is the bottom, a log that fits included", () => {
    expect(atBottom({ scrollHeight: 1000, scrollTop: 520, clientHeight: 480 })).toBe(true);
    expect(atBottom({ scrollHeight: 400, scrollTop: 0, clientHeight: 480 })).toBe(true);
    expect(atBottom({ scrollHeight: 1000, scrollTop: 500, clientHeight: 480 })).toBe(false);
  });
});
