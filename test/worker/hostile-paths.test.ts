// Hostile RTMPT paths and session ids, in workerd: traversal, encodings, overlong and non-numeric
// parts, look-alike prefixes, forged or other sessions' ids. Each is a clear 400/404 from the worker itself
// (or the SPA for unknown GETs) and nothing reaches an origin; the invariants are in hostile-support.ts.
import { describe, expect, it } from "vitest";
import { TAG_LENGTH } from "../../worker/rtmpt/proxy/session-tags";
import {
  assertClean,
  assertForwardedPathsClean,
  type Mode,
  openSession,
  outbound,
  post,
  request,
  useHostileUpstreams,
} from "./hostile-support";

useHostileUpstreams();

describe("RTMPT paths: traversal, encodings, overlong and non-numeric parts", () => {
  const cases: [string, number[]][] = [
    ["/open/1/..%2f..%2fadmin", [400]],
    ["/open/..%2fadmin", [400]],
    ["/idle/abc%2f..%2f..%2fadmin/1", [400]],
    ["/send/%2e%2e%2f%2e%2e%2fadmin/1", [400]],
    ["/close/%252e%252e%252fadmin/1", [400]],
    ["/send/abc/%2e%2e", [400]],
    ["/fcs/..%5c..%5cadmin", [404]],
    ["/fcs/ident2%00", [404]],
    ["/fcs/ident2%2f..%2f..%2fadmin", [404]],
    ["/open/1%00", [400]],
    ["/open/1;jsessionid=x", [400]],
    ["/open/1%20HTTP/1.1", [400]],
    ["/send/AAAA%0d%0aX-Injected:%201/1", [400]],
    ["/idle/AAAA/1%0d%0aX-Injected:%201", [400]],
    ["/open/1@evil.example", [400]],
    ["/open/1:80", [400]],
    ["/open/1234", [400]],
    [`/send/${"a".repeat(65)}/1`, [400]],
    [`/send/${"a".repeat(20_000)}/1`, [400]],
    [`/idle/AAAA/${"9".repeat(11)}`, [400]],
    [`/idle/AAAA/${"1".repeat(5000)}`, [400]],
    ...["-1", "+1", "1e3", "0x1f", "1.5", "NaN", "Infinity", "%201", "%EF%BC%91", "", "1%00"].map((seq): [string, number[]] => [
      `/close/AAAA/${seq}`,
      [400],
    ]),
    ["/send", [400]],
    ["/send/", [400]],
    ["/idle//1", [400]],
    ["/close/a/b/c/d", [400]],
    [`/fcs/${"x".repeat(17)}`, [404]],
  ];
  for (const mode of ["proxy", "gateway"] as Mode[]) {
    it(`${mode} mode: ${cases.length} malformed paths answered 400/404 by the worker, nothing forwarded`, async () => {
      for (const [path, statuses] of cases) {
        const res = await request(mode, path, post());
        await assertClean(res, `${mode} ${path.slice(0, 80)}`, { statuses });
      }
      expect(outbound.map((r) => r.url)).toEqual([]);
    });
  }

  it("dot segments (plain or %2e-encoded) are resolved before routing: the result is an RTMPT path or not at all", async () => {
    for (const path of ["/send/../open/1", "/send/%2e%2e/open/1", "/open/./1", "/x/../open/1", "/send/%2E%2e/%2e./healthz"]) {
      const res = await request("proxy", path, post());
      expect(res.status, path).toBeLessThan(500);
      await res.body?.cancel();
    }
    assertForwardedPathsClean("dot segments");
    expect(outbound.every((r) => new URL(r.url).pathname === "/open/1")).toBe(true);
  });

  it("look-alike prefixes (/OPEN, /open%2f1, //open/1, /opened) are not RTMPT: the SPA for GET, never an origin", async () => {
    for (const path of ["/OPEN/1", "/open%2f1", "//open/1", "/opened", "/send.php/x/1", "/idle%00/x/1"]) {
      const get = await request("proxy", path, { headers: { accept: "text/html" } });
      await assertClean(get, `GET ${path}`, { spa: true });
      const p = await request("proxy", path, post());
      expect(p.status, `POST ${path}`).toBeLessThan(500);
      await p.body?.cancel();
    }
    // Found by the fuzzer: a streamed body to an app path with Upgrade headers made the assets layer throw (500).
    for (const mode of ["proxy", "off"] as Mode[]) {
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new Uint8Array(1000));
          c.close();
        },
      });
      const headers = { upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13" };
      const res = await request(mode, "/send.php/312/f1e06B5d/)=&'AA*.", {
        method: "POST",
        headers,
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(res.status, mode).toBeLessThan(500);
      await res.body?.cancel();
    }
    expect(outbound).toEqual([]);
  });
});

describe("RTMPT sessions: forged and other sessions' ids (proxy mode)", () => {
  it("refuses ids whose tag does not verify with 404 and malformed ones with 400, without calling an origin", async () => {
    const id = await openSession();
    const originId = id.slice(TAG_LENGTH);
    const otherIndex = id.charAt(0) === "0" ? "1" : "0";
    const flip = (s: string, at: number) => s.slice(0, at) + (s.charAt(at) === "0" ? "1" : "0") + s.slice(at + 1);
    const forged: [string, number][] = [
      [flip(id, 1), 404], // MAC changed
      [flip(id, TAG_LENGTH - 1), 404],
      [otherIndex + id.slice(1), 404], // moved to the other origin
      [`f${id.slice(1)}`, 404], // an origin that is not configured
      [`${id.slice(0, TAG_LENGTH)}${originId}X`, 404], // another origin id under the same tag
      [`${id.charAt(0)}${"0".repeat(12)}${originId}`, 404],
      [id.toUpperCase() === id ? id.toLowerCase() : id.toUpperCase(), 404],
      [id.slice(0, TAG_LENGTH), 400], // tag only
      ["x".repeat(63), 400], // longer than any public id
      [`g${"0".repeat(12)}AAAA1`, 404], // index is not hex
    ];
    outbound.length = 0;
    for (const [bad, status] of forged) {
      for (const kind of ["send", "idle", "close"]) {
        const res = await request("proxy", `/${kind}/${bad}/1`, post());
        await assertClean(res, `${kind} ${bad}`, { statuses: [status] });
      }
    }
    expect(outbound).toEqual([]);
    const good = await request("proxy", `/idle/${id}/1`, post());
    expect(good.status).toBe(200);
  });

  it("gateway mode: an id that names no session is 404 (no state is created for it)", async () => {
    for (const id of ["a", "0".repeat(32), "Z".repeat(64)]) {
      const res = await request("gateway", `/idle/${id}/0`, post());
      await assertClean(res, `gateway ${id}`, { statuses: [404] });
    }
  });
});
