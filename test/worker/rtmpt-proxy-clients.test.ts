// Proxy mode with the requests of clients beyond FFmpeg and librtmp: HaishinKit's and RootEncoder's
// `/close/<id>` without seq (RTMPTSocket.swift:119, TcpTunneledSocket.kt:169) reaches the origin as
// `/close/<originId>`, body and all. Fake origins: rtmpt-proxy-support.ts.
import { describe, expect, it } from "vitest";
import { TAG_LENGTH } from "../../worker/rtmpt/proxy/session-tags";
import { A, B, fcs, handlers, open, post, seen, useFakeOrigins } from "./rtmpt-proxy-support";

useFakeOrigins();

describe("proxy mode: /close without seq", () => {
  it("forwards /close/<id> (empty body, or 0x00) as /close/<originId> and relays the origin's 0x00", async () => {
    handlers[A] = (req) => (new URL(req.url).pathname.startsWith("/open/") ? fcs("AAAASESSION1\n") : fcs(new Uint8Array([0])));
    handlers[B] = (req) => (new URL(req.url).pathname.startsWith("/open/") ? fcs("BBBBSESSION2\n") : fcs(new Uint8Array([0])));
    for (const body of [new Uint8Array(0), new Uint8Array([0])]) {
      const { id } = await open();
      const res = await post(`/close/${id}`, body);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/x-fcs");
      expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0]);
      const last = seen.at(-1);
      expect(new URL(last?.url ?? "").pathname).toBe(`/close/${id.slice(TAG_LENGTH)}`);
      expect([...(last?.body ?? [])]).toEqual([...body]);
    }
  });

  it("refuses a forged /close/<id> itself (404), nothing forwarded", async () => {
    const before = seen.length;
    const res = await post(`/close/0${"0".repeat(12)}FORGED`);
    expect(res.status).toBe(404);
    expect(seen.length).toBe(before);
  });
});
