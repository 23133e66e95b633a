/**
 * Benchmark: HTTP File Upload (XEP-0363) of a 20 MB file, PUT and GET, through Porthole's worker
 * (`/upload/` → UPLOAD_URL, its built bundle in workerd) vs straight to the same Prosody 0.12
 * mod_http_file_share. Each round asks a slot (Node @xmpp/client) and uploads then downloads it on
 * both paths, taking turns; medians over ROUNDS. The worker streams bodies: workerd's resident memory
 * is sampled during its transfers and its growth reported (it must stay far below the file size).
 */
import { readFileSync } from "node:fs";
import { type Element, xml } from "@xmpp/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ProsodyServer, startProsody } from "../support/prosody";
import { bundleWorker, startWorkerd, type WorkerdServer } from "../support/workerd";
import { connectUser, type XmppUser } from "../support/xmpp-user";
import { type BenchRow, median, report } from "./support";

const SIZE = 20 * 1000 * 1000;
const ROUNDS = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 4);
const UPLOAD = "urn:xmpp:http:upload:0";
/** The slot URLs' own origin is irrelevant here: each path rewrites it to its own. */
const EXTERNAL = "http://slots.invalid/";

let prosody: ProsodyServer;
let workerd: WorkerdServer;
let alice: XmppUser;

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0);
}

async function slot(n: number): Promise<{ path: string; auth: string }> {
  const answer: Element = await alice.client.iqCaller.request(
    xml(
      "iq",
      { type: "get", to: `upload.${prosody.domain}` },
      xml("request", {
        xmlns: UPLOAD,
        filename: `bench-${n}.bin`,
        size: String(SIZE),
        "content-type": "application/octet-stream",
      }),
    ),
  );
  const s = answer.getChild("slot", UPLOAD);
  const put = String(s?.getChild("put")?.attrs.url);
  return { path: put.slice(EXTERNAL.length - 1), auth: s?.getChild("put")?.getChildText("header") ?? "" };
}

beforeAll(async () => {
  prosody = await startProsody({
    users: { alice: "alice-pw" },
    fileShare: { externalUrl: EXTERNAL, sizeLimit: 25_000_000 },
    extraConfig: "http_file_share_daily_quota = 1000 * 1000 * 1000",
  });
  workerd = await startWorkerd(
    bundleWorker(),
    { XMPP_WEBSOCKET_URL: prosody.wsUrl, RTMPT_ORIGINS: "", UPLOAD_URL: `http://127.0.0.1:${prosody.httpPort}/upload/` },
    { quiet: true },
  );
  alice = await connectUser({ service: prosody.wsUrl, domain: prosody.domain, username: "alice", password: "alice-pw" });
}, 180_000);

afterAll(async () => {
  await alice?.stop();
  await workerd?.stop();
  await prosody?.stop();
});

it("20 MB upload and download: through the worker vs straight to Prosody", async () => {
  const body = new Uint8Array(SIZE);
  for (let i = 0; i < SIZE; i += 4096) body[i] = i & 0xff;
  const origins = { direct: `http://127.0.0.1:${prosody.httpPort}`, worker: workerd.url };
  const mbps = { direct: { put: [] as number[], get: [] as number[] }, worker: { put: [] as number[], get: [] as number[] } };
  const pid = workerd.pid as number;
  const baseline = rssKiB(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssKiB(pid));
  }, 50);
  try {
    for (let round = 0; round < ROUNDS + 1; round++) {
      const order = round % 2 ? (["worker", "direct"] as const) : (["direct", "worker"] as const);
      for (const path of order) {
        const s = await slot(round * 2 + (path === "worker" ? 1 : 0));
        const url = `${origins[path]}${s.path}`;
        let t0 = performance.now();
        const put = await fetch(url, {
          method: "PUT",
          body,
          headers: { authorization: s.auth, "content-type": "application/octet-stream" },
        });
        const putMs = performance.now() - t0;
        expect(put.status, `${path} PUT`).toBe(201);
        t0 = performance.now();
        const got = new Uint8Array(await (await fetch(url)).arrayBuffer());
        const getMs = performance.now() - t0;
        expect(got.length, `${path} GET`).toBe(SIZE);
        expect(got[4096 * 7]).toBe((4096 * 7) & 0xff);
        if (round === 0) continue; // warm-up
        mbps[path].put.push(SIZE / 1e6 / (putMs / 1000));
        mbps[path].get.push(SIZE / 1e6 / (getMs / 1000));
      }
    }
  } finally {
    clearInterval(sampler);
  }
  const rows: BenchRow[] = [];
  for (const op of ["put", "get"] as const) {
    const w = median(mbps.worker[op]);
    const d = median(mbps.direct[op]);
    rows.push({
      metric: `${op === "put" ? "upload (PUT)" : "download (GET)"} 20 MB throughput`,
      porthole: w,
      alternative: d,
      unit: "MB/s",
      ratio: w / d,
      target: ">= 0.8 of direct",
      met: w / d >= 0.8,
    });
  }
  const growthMiB = (peak - baseline) / 1024;
  rows.push({
    metric: "workerd resident memory growth during transfers",
    porthole: growthMiB,
    unit: "MiB",
    target: "< 20 MB file",
    met: growthMiB < 19,
  });
  report(
    "upload",
    "XEP-0363 upload/download of a 20 MB file through /upload/",
    "the same requests straight to Prosody 0.12 mod_http_file_share",
    rows,
    {
      rounds: ROUNDS,
      mbps,
      rssKiB: { baseline, peak },
    },
  );
}, 600_000);
