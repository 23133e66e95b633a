// The settings' "Enter sends the message" (web/src/views/settings/enter-sends.ts): stored under the
// key the composer reads (web/src/views/chat/enter-sends.ts), read back as the composer reads it, the
// default by primary pointer, and a refusing storage.
import { afterEach, describe, expect, it } from "vitest";
import { ENTER_SENDS_KEY, enterSends } from "../../../web/src/views/chat/enter-sends";
import { readEnterSends, writeEnterSends } from "../../../web/src/views/settings/enter-sends";

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
};
const pointer = (coarse: boolean) => {
  globalThis.matchMedia = ((q: string) => ({ matches: q === "(pointer: coarse)" && coarse })) as typeof matchMedia;
};

describe("Enter sends (settings)", () => {
  const original = globalThis.matchMedia;
  afterEach(() => {
    globalThis.matchMedia = original;
  });

  it("defaults to on for a fine pointer and off for touch", () => {
    pointer(false);
    expect(readEnterSends(memory())).toBe(true);
    pointer(true);
    expect(readEnterSends(memory())).toBe(false);
  });

  it("stores '1' / '0' under porthole.enterSends, which the composer reads and which wins over the default", () => {
    const store = memory();
    pointer(false);
    expect(writeEnterSends(false, store)).toBe(true);
    expect(ENTER_SENDS_KEY).toBe("porthole.enterSends");
    expect(store.m.get(ENTER_SENDS_KEY)).toBe("0");
    expect(readEnterSends(store)).toBe(false);
    expect(enterSends(store)).toBe(false);
    pointer(true);
    writeEnterSends(true, store);
    expect(store.m.get(ENTER_SENDS_KEY)).toBe("1");
    expect(readEnterSends(store)).toBe(true);
    expect(enterSends(store)).toBe(true);
  });

  it("falls back to the default when the storage refuses, and says the choice was not kept", () => {
    const refusing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    pointer(false);
    expect(readEnterSends(refusing)).toBe(true);
    pointer(true);
    expect(readEnterSends(refusing)).toBe(false);
    expect(writeEnterSends(true, refusing)).toBe(false);
    expect(writeEnterSends(true, undefined)).toBe(false);
  });
});
