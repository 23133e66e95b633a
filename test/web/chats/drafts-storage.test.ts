// Drafts when the device's storage refuses to write (web/src/model/chats/drafts-proxy.ts): a full
// quota (QuotaExceededError) or a private mode that forbids storage must not break typing; the draft
// stays in the page, and the next write that fits is kept.
import { describe, expect, it } from "vitest";
import { DraftsProxy } from "../../../web/src/model/chats/drafts-proxy";

class RefusingStorage {
  readonly items = new Map<string, string>();
  refuse = true;
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.refuse) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

describe("drafts on a device whose storage refuses writes", () => {
  it("keeps the draft in the page, never throws, and saves it once storage accepts again", () => {
    const local = new RefusingStorage();
    const session = new RefusingStorage();
    const drafts = new DraftsProxy(local, session);
    drafts.useAccount("alice@example.org");
    expect(() => drafts.keep("bob@example.org", "half a thought")).not.toThrow();
    expect(() => drafts.rememberOpenChat("bob@example.org")).not.toThrow();
    expect(drafts.draft("bob@example.org")).toBe("half a thought");
    expect(local.items.size).toBe(0);
    local.refuse = false;
    drafts.keep("bob@example.org", "half a thought, finished");
    expect([...local.items.values()].join()).toContain("half a thought, finished");
  });
});
