/** Setup file of the benchmarks: each file says when it starts (and with which wall time), so a long run shows where it is. */
import { basename } from "node:path";
import { beforeAll, expect } from "vitest";

beforeAll(() => {
  const file = basename(expect.getState().testPath ?? "?");
  process.stderr.write(`\n[bench ${new Date().toISOString().slice(11, 19)} UTC] starting ${file}\n`);
});
