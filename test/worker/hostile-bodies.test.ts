// Hostile methods, bodies and Content-Length on the RTMPT prefixes, in workerd: non-POST methods
// are 405 (Allow: POST), oversized or absurdly announced bodies 400/413 before anything is read or
// forwarded, a missing body is the origin's business; never a 5xx.
import { describe, expect, it } from "vitest";
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

const PREFIXES = ["fcs", "open", "send", "idle", "close"];

useHostileUpstreams();

describe("methods, bodies and Content-Length", () => {
  const methods = ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"];
  for (const mode of ["proxy", "gateway", "off"] as Mode[]) {
    it(`${mode} mode: every non-POST method on every prefix is refused (405 Allow: POST, or 404 when off)`, async () => {
      for (const prefix of PREFIXES) {
        for (const method of methods) {
          const init: RequestInit = { method };
          if (method !== "GET" && method !== "HEAD") init.body = new Uint8Array([0]);
          const res = await request(mode, `/${prefix}/AAAA/1`, init);
          const want = mode === "off" ? 404 : 405;
          if (method === "HEAD") {
            expect(res.status, `${mode} HEAD /${prefix}`).toBe(want);
            continue;
          }
          await assertClean(res, `${mode} ${method} /${prefix}`, { statuses: [want] });
          if (mode !== "off") expect(res.headers.get("allow")).toBe("POST");
        }
      }
      expect(outbound).toEqual([]);
    });
  }

  for (const mode of ["proxy", "gateway"] as Mode[]) {
    it(`${mode} mode: oversized bodies get 413 whether announced or streamed; nothing reaches an origin`, async () => {
      const id = mode === "proxy" ? await openSession() : "0".repeat(32);
      outbound.length = 0;
      const announced = await request(mode, `/send/${id}/1`, post(new Uint8Array(4097)));
      await assertClean(announced, "announced 4097", { statuses: [413] });
      for (const path of [`/send/${id}/2`, "/open/1", "/fcs/ident2"]) {
        const stream = new ReadableStream<Uint8Array>({
          start(c) {
            for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(1000));
            c.close();
          },
        });
        const res = await request(mode, path, { ...post(stream), duplex: "half" } as RequestInit);
        await assertClean(res, `streamed 5000 ${path}`, { statuses: [413] });
      }
      expect(outbound).toEqual([]);
    });
  }

  it("a missing or empty body is not an error of the worker (the origin answers), never a 5xx", async () => {
    const id = await openSession();
    for (const path of ["/open/1", "/fcs/ident2", `/idle/${id}/1`, `/send/${id}/2`]) {
      for (const body of [null, new Uint8Array(0)]) {
        const res = await request("proxy", path, { method: "POST", body });
        expect(res.status, path).toBeLessThan(500);
        await res.body?.cancel();
      }
    }
    assertForwardedPathsClean("missing body");
  });

  it("absurd Content-Length values are refused (400/413) before anything is read or forwarded", async () => {
    const id = await openSession();
    outbound.length = 0;
    const values: [string, number][] = [
      ["99999999999999999999", 413],
      ["9".repeat(40), 400],
      ["-1", 400],
      ["1e9", 400],
      ["0x10", 400],
      ["abc", 400],
      ["4097", 413],
    ];
    for (const [value, status] of values) {
      for (const mode of ["proxy", "gateway"] as Mode[]) {
        let res: Response;
        try {
          res = await request(mode, `/send/${mode === "proxy" ? id : "0".repeat(32)}/1`, post(null, { "content-length": value }));
        } catch {
          continue; // the runtime itself refused to build such a request: nothing to answer
        }
        await assertClean(res, `${mode} content-length ${value}`, { statuses: [status] });
      }
    }
    expect(outbound).toEqual([]);
  });
});
