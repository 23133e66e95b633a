/**
 * First-load budget, every run: test/check-first-load.mjs (also run by `npm test`) checks the JS + CSS
 * index.html loads eagerly against its budget (gzip) and that the XMPP connection code stays lazy; this
 * reports its figures with the gzip size of each lazily loaded chunk, so a chunk that grows shows up.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT, tempDir } from "../support/process";
import { type BenchRow, progress, report } from "./support";

interface FirstLoad {
  eager: string[];
  gzip: number;
  budget: number;
  lazy: Array<{ file: string; gzip: number }>;
  failures: string[];
}

it("first-load budget and the lazily loaded chunks", () => {
  progress("first-load: node test/check-first-load.mjs");
  const out = join(tempDir("first-load"), "first-load.json");
  const run = spawnSync(process.execPath, ["test/check-first-load.mjs", "--json", out], { cwd: ROOT, encoding: "utf8" });
  const doc = JSON.parse(readFileSync(out, "utf8")) as FirstLoad;
  const rows: BenchRow[] = [
    {
      metric: "first load JS+CSS (index.html), gzip",
      porthole: doc.gzip,
      unit: "B",
      target: `<= ${doc.budget} B`,
      met: doc.gzip <= doc.budget,
    },
    ...doc.lazy.map((c) => ({ metric: `lazy chunk ${c.file.replace(/-[\w-]{8}\./, ".")}, gzip`, porthole: c.gzip, unit: "B" })),
  ];
  report("first-load", "PWA first load and lazily loaded chunks", "its budget", rows, {
    eager: doc.eager,
    lazy: doc.lazy,
    failures: doc.failures,
  });
  expect(doc.failures, run.stderr).toEqual([]);
  expect(run.status).toBe(0);
});
