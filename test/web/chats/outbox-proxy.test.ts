// The outbox's gate and flush guard (model/chats/outbox-proxy.ts).
import { describe, expect, it } from "vitest";
import { OutboxProxy } from "../../../web/src/model/chats/outbox-proxy";

describe("OutboxProxy", () => {
  it("holds the outbox until released (the catch-up is done)", () => {
    const outbox = new OutboxProxy();
    expect(outbox.synced).toBe(false);
    outbox.release();
    expect(outbox.synced).toBe(true);
    outbox.hold();
    expect(outbox.synced).toBe(false);
  });

  it("runs one flush at a time: a flush asked for meanwhile makes the running one go round again", async () => {
    const outbox = new OutboxProxy();
    let passes = 0;
    let release: () => void = () => {};
    const first = outbox.flush(async () => {
      passes++;
      if (passes === 1) await new Promise<void>((r) => (release = r));
      return true;
    });
    const second = outbox.flush(async () => {
      throw new Error("never runs: the running flush takes it over");
    });
    await second;
    expect(passes).toBe(1);
    release();
    await first;
    expect(passes).toBe(2);
    // Idle again: the next flush runs its own pass.
    let own = 0;
    await outbox.flush(async () => {
      own++;
      return true;
    });
    expect(own).toBe(1);
  });

  it("a pass that stops (offline, a failed send) ends the flush, and the guard is released even if it throws", async () => {
    const outbox = new OutboxProxy();
    let passes = 0;
    await outbox.flush(async () => {
      passes++;
      return false;
    });
    expect(passes).toBe(1);
    await expect(
      outbox.flush(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await outbox.flush(async () => {
      passes++;
      return true;
    });
    expect(passes).toBe(2);
  });
});
