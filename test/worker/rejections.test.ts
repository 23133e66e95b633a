// worker/http/rejections.ts on its own: which answers are logged as the worker's rejections (its own
// 4xx, not an origin's relayed one) and what of the body the record may hold (the first line of a short
// plain-text answer, nothing of any other body). Through the whole worker: hostile-rejection-log.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { logRejection, markRelayed } from "../../worker/http/rejections";
import { logRecords } from "./log-records";

afterEach(() => vi.restoreAllMocks());

const request = (path = "/open/1", method = "POST") => new Request(`https://porthole.test${path}`, { method });
const plain = (status: number, text: string) =>
  new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "content-length": String(text.length) } });

async function logged(res: Response, req = request()) {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    await logRejection(req, res);
    return logRecords(warn, "rejected");
  } finally {
    warn.mockRestore();
  }
}

describe("logRejection", () => {
  it("logs the worker's own 4xx, 400 to 499, with the first line of its plain-text answer", async () => {
    expect(await logged(plain(405, "Method not allowed: RTMPT uses POST\nmore"), request("/idle/x/1", "GET"))).toEqual([
      { event: "rejected", status: 405, method: "GET", path: "/idle/x/1", reason: "Method not allowed: RTMPT uses POST" },
    ]);
    expect((await logged(plain(400, "Bad\n"))).map((r) => r.status)).toEqual([400]);
    expect((await logged(plain(499, "x\n"))).map((r) => r.status)).toEqual([499]);
    expect(await logged(plain(399, "x\n"))).toEqual([]);
    expect(await logged(plain(500, "x\n"))).toEqual([]);
  });

  it("does not log an origin's own 4xx, relayed (markRelayed), as a rejection", async () => {
    expect(await logged(markRelayed(plain(404, "Not found at the origin\n")))).toEqual([]);
    expect(await logged(plain(404, "Not found at the origin\n"))).toHaveLength(1);
  });

  it("takes no reason from a body that is not plain text, or longer than 1 KiB", async () => {
    const json = new Response(JSON.stringify({ token: "SECRET-MARKER" }), {
      status: 403,
      headers: { "content-type": "application/json" },
    });
    const html = new Response("<p>SECRET-MARKER</p>", { status: 404, headers: { "content-type": "text/html" } });
    const long = plain(413, `SECRET-MARKER${"x".repeat(1100)}`);
    const records = [...(await logged(json)), ...(await logged(html)), ...(await logged(long))];
    expect(records.map((r) => [r.status, r.reason])).toEqual([
      [403, ""],
      [404, ""],
      [413, ""],
    ]);
    expect(JSON.stringify(records)).not.toContain("SECRET-MARKER");
  });

  it("shortens a long path and reason, and leaves the answer's body readable", async () => {
    const res = plain(404, `${"r".repeat(300)}\n`);
    const [record] = await logged(res, request(`/${"p".repeat(300)}`));
    expect(String(record?.path)).toBe(`/${"p".repeat(159)}…`);
    expect(String(record?.reason)).toHaveLength(120);
    expect(await res.text()).toBe(`${"r".repeat(300)}\n`);
  });
});
