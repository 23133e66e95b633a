// The rejection log, in workerd: one compact structured console.warn line per refused request
// (event, status, method, path, reason), never the request body.
import { describe, expect, it } from "vitest";
import { post, request, useHostileUpstreams } from "./hostile-support";
import { logRecords } from "./log-records";

const upstreams = useHostileUpstreams();

describe("rejection log", () => {
  it("writes exactly one compact structured line per rejection (status, method, path, reason), never the body", async () => {
    const warn = upstreams.warn();
    warn.mockClear();
    const rejections: [string, RequestInit, number][] = [
      ["/idle/AAAA/1", { method: "GET" }, 405],
      ["/send/%2e%2e%2fadmin/1", post(), 400],
      ["/open/1", post(new TextEncoder().encode("BODY-MARKER".repeat(500))), 413],
      [`/idle/0${"0".repeat(12)}AAAA1/1`, post(), 404],
      ["/xmpp-websocket", { method: "GET" }, 426],
    ];
    for (const [path, init, status] of rejections) {
      const res = await request("proxy", path, init);
      expect(res.status, path).toBe(status);
      await res.body?.cancel();
    }
    const lines = logRecords(warn);
    const rejected = lines.filter((l) => l.event === "rejected");
    expect(rejected.map((l) => l.status)).toEqual(rejections.map((r) => r[2]));
    for (const l of rejected) {
      expect(Object.keys(l).sort()).toEqual(["event", "method", "path", "reason", "status"]);
      expect(String(l.reason).length).toBeLessThanOrEqual(120);
    }
    // The reason is the first line of the plain-text answer.
    expect(rejected.map((l) => l.reason)).toEqual([
      "Method not allowed: RTMPT uses POST",
      "Bad RTMPT session id",
      "Request body too large",
      "Unknown RTMPT session",
      "Upgrade required: this is an XMPP WebSocket endpoint (RFC 7395)",
    ]);
    expect(JSON.stringify(lines)).not.toContain("BODY-MARKER");
  });
});
