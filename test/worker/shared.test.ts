// worker/shared/: the one timeout idiom, the one log record, the hex encoder.
import { afterEach, describe, expect, it, vi } from "vitest";
import { abortAfter, bounded, TIMED_OUT } from "../../worker/shared/bounded";
import { toHex } from "../../worker/shared/hex";
import { logEvent } from "../../worker/shared/log";
import { logRecords } from "./log-records";

afterEach(() => vi.restoreAllMocks());

describe("bounded", () => {
  it("gives the work's value, or rethrows its rejection, when it settles in time (signal left alone)", async () => {
    let seen: AbortSignal | undefined;
    expect(
      await bounded(1000, async (signal) => {
        seen = signal;
        return 42;
      }),
    ).toBe(42);
    expect(seen?.aborted).toBe(false);
    await expect(bounded(1000, () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
  });

  it("clears its timer: work that settled in time is never aborted later (a relayed body keeps streaming)", async () => {
    let seen: AbortSignal | undefined;
    await bounded(20, async (signal) => {
      seen = signal;
      return 1;
    });
    await scheduler.wait(60);
    expect(seen?.aborted).toBe(false);
  });

  it("gives TIMED_OUT after the bound and aborts the work's signal", async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    const outcome = await bounded(30, (signal) => {
      seen = signal;
      return new Promise<never>(() => {});
    });
    expect(outcome).toBe(TIMED_OUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(seen?.aborted).toBe(true);
  });

  it("gives TIMED_OUT also when the work rejects at once on its signal's abort (as an aborted fetch may)", async () => {
    const outcome = await bounded(
      10,
      (signal) =>
        new Promise<never>((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
        ),
    );
    expect(outcome).toBe(TIMED_OUT);
  });
});

describe("abortAfter (work that settles on its signal's abort: fetch)", () => {
  it("gives the work's value, or rethrows its rejection, when it settles in time, and never aborts later", async () => {
    let seen: AbortSignal | undefined;
    expect(
      await abortAfter(20, async (signal) => {
        seen = signal;
        return 42;
      }),
    ).toBe(42);
    await expect(abortAfter(1000, () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    await scheduler.wait(60);
    expect(seen?.aborted).toBe(false);
  });

  it("gives TIMED_OUT when the work rejects on the abort after the bound, as an aborted fetch does", async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    const outcome = await abortAfter(
      30,
      (signal) =>
        new Promise<never>((_resolve, reject) => {
          seen = signal;
          signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
    );
    expect(outcome).toBe(TIMED_OUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(seen?.aborted).toBe(true);
  });

  it("a fetch that hangs is aborted and timed out", async () => {
    const hang = vi
      .spyOn(globalThis, "fetch")
      .mockImplementation(
        (_input, init) =>
          new Promise<Response>((_resolve, reject) =>
            init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
          ),
      );
    expect(await abortAfter(10, (signal) => fetch("http://origin.test/", { signal }))).toBe(TIMED_OUT);
    hang.mockRestore();
  });
});

describe("logEvent", () => {
  it("logs one plain object { event, ...fields } at the level asked (info by default)", () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    logEvent("a", { n: 1 });
    logEvent("b", {}, "warn");
    logEvent("c", { why: "x" }, "error");
    expect(logRecords(info)).toEqual([{ event: "a", n: 1 }]);
    expect(logRecords(warn)).toEqual([{ event: "b" }]);
    expect(logRecords(error)).toEqual([{ event: "c", why: "x" }]);
  });
});

describe("toHex", () => {
  it("writes two lowercase digits per byte", () => {
    expect(toHex(new Uint8Array([0, 1, 0x0f, 0x10, 0xab, 0xff]))).toBe("00010f10abff");
    expect(toHex([])).toBe("");
  });
});
