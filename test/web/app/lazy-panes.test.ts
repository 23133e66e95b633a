// The signed-in panes' chunk: a failed fetch is not remembered, so the next attempt fetches again.
import { describe, expect, it, vi } from "vitest";

let failures = 1;
vi.mock("../../../web/src/app/signed-in-panes", () => {
  if (failures-- > 0) throw new Error("chunk fetch failed");
  return { SignedInPanes: () => null, AccountMenu: () => null };
});

describe("preloadPanes", () => {
  it("rejects while the chunk cannot be fetched, then fetches it again", async () => {
    const { preloadPanes } = await import("../../../web/src/app/lazy-panes");
    await expect(preloadPanes()).rejects.toThrow();
    const panes = await preloadPanes();
    expect(typeof panes.SignedInPanes).toBe("function");
    expect(await preloadPanes()).toBe(panes);
  });
});
