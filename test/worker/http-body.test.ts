// worker/http/body.ts: the one Content-Length check of the RTMPT routes, and the capped read of a body
// without one.
import { describe, expect, it } from "vitest";
import { contentLengthProblem, readCapped } from "../../worker/http/body";

describe("contentLengthProblem", () => {
  it("accepts an absent or in-cap length, refuses a malformed one with 400 and a larger one with 413", () => {
    expect(contentLengthProblem(undefined, 10)).toBeNull();
    expect(contentLengthProblem("0", 10)).toBeNull();
    expect(contentLengthProblem("10", 10)).toBeNull();
    expect(contentLengthProblem("11", 10)).toEqual({ status: 413, message: "Request body too large" });
    expect(contentLengthProblem("9".repeat(20), 10)?.status).toBe(413);
    for (const bad of ["", " 1", "1 ", "+1", "-1", "1.0", "1e3", "0x1", "9".repeat(21), "1,1"]) {
      expect(contentLengthProblem(bad, 10), JSON.stringify(bad)).toEqual({ status: 400, message: "Bad Content-Length" });
    }
  });
});

describe("readCapped", () => {
  const stream = (...chunks: number[]) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const n of chunks) c.enqueue(new Uint8Array(n).fill(n));
        c.close();
      },
    });

  it("joins the chunks in order up to the cap, and gives null past it", async () => {
    expect(await readCapped(null, 4)).toEqual(new Uint8Array(0));
    expect(await readCapped(stream(1, 3), 4)).toEqual(new Uint8Array([1, 3, 3, 3]));
    expect(await readCapped(stream(1, 3, 1), 4)).toBeNull();
  });
});
