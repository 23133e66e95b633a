// Proxy mode over several origins, through the worker's public surface in workerd: new sessions spread,
// later requests stick to their session's origin (tagged ids), /open fails over, 502/504 when none can
// serve, one log line per open/close, and /healthz probing the origins. Fake origins: rtmpt-proxy-support.ts.
import { describe, expect, it, vi } from "vitest";
import app from "../../worker/index";
import { TAG_LENGTH } from "../../worker/rtmpt/proxy/session-tags";
import { logRecords } from "./log-records";
import { A, B, fcs, handlers, open, post, seen, setHandlers, useFakeOrigins, vars } from "./rtmpt-proxy-support";

useFakeOrigins();

describe("proxy mode: sessions over several origins", () => {
  it("spreads new sessions over the origins and keeps each later request on its origin", async () => {
    const first = await open();
    const second = await open();
    expect(new Set([first.origin, second.origin])).toEqual(new Set([0, 1]));
    for (const s of [first, second, first, second]) {
      seen.length = 0;
      const res = await post(`/idle/${s.id}/3`);
      expect(res.status).toBe(200);
      expect(new URL(seen[0]?.url ?? "").origin).toBe(s.origin === 0 ? A : B);
    }
  });

  it("answers the reply of /open as `<tagged id>\\n` with letters and digits only", async () => {
    const res = await post("/open/1");
    const text = await res.text();
    expect(text).toMatch(/^[0-9a-f]{13}[A-Z0-9]+\n$/);
    expect(res.headers.get("content-type")).toBe("application/x-fcs");
  });

  it("refuses forged (404) and malformed (400) session ids without calling an origin", async () => {
    const { id } = await open();
    seen.length = 0;
    const forged = await post(`/idle/${id.charAt(0)}${"0".repeat(12)}${id.slice(TAG_LENGTH)}/1`);
    expect(forged.status).toBe(404);
    expect(await forged.text()).toBe("Unknown RTMPT session\n");
    const short = await post("/idle/abc/1");
    expect(short.status).toBe(400);
    expect(await short.text()).toBe("Bad RTMPT session id\n");
    expect(seen).toEqual([]);
  });

  it("fails /open over to the next origin when one refuses, times out, answers 5xx or no session id", async () => {
    const e = vars({ RTMPT_ORIGIN_TIMEOUT_MS: "50" });
    for (const broken of ["refuse", "hang", () => new Response("down", { status: 503 }), () => fcs("<html>")] as const) {
      handlers[A] = typeof broken === "string" ? () => broken : broken;
      for (let i = 0; i < 2; i++) expect((await open(e)).origin).toBe(1);
    }
  });

  it("answers 502 when no origin can serve and 504 when they all time out, in plain text", async () => {
    setHandlers({});
    const dead = await post("/open/1");
    expect(dead.status).toBe(502);
    expect(dead.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await dead.text()).toBe("Bad gateway: no RTMPT origin could serve this request\n");
    setHandlers({ [A]: () => "hang", [B]: () => "hang" });
    const slow = await post("/open/1", new Uint8Array([0]), {}, vars({ RTMPT_ORIGIN_TIMEOUT_MS: "50" }));
    expect(slow.status).toBe(504);
    expect(await slow.text()).toBe("Gateway timeout: the RTMPT origin did not answer in time\n");
  });

  it("answers 502 / 504 for a session whose origin died or stalls, without trying another origin", async () => {
    const e = vars({ RTMPT_ORIGIN_TIMEOUT_MS: "50" });
    const { id, origin } = await open(e);
    const mine = origin === 0 ? A : B;
    handlers[mine] = () => "refuse";
    seen.length = 0;
    expect((await post(`/send/${id}/1`, new Uint8Array([0]), {}, e)).status).toBe(502);
    handlers[mine] = () => "hang";
    expect((await post(`/idle/${id}/2`, new Uint8Array([0]), {}, e)).status).toBe(504);
    expect(seen.every((s) => new URL(s.url).origin === mine)).toBe(true);
  });

  it("logs one structured line per session open and close, with origin and outcome, never bodies", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { id, origin } = await open();
    await post(`/send/${id}/0`, new TextEncoder().encode("BODY-MARKER"));
    await post(`/close/${id}/1`);
    setHandlers({});
    await post("/open/1");
    const lines = logRecords([info, warn]);
    expect(lines).toEqual([
      expect.objectContaining({ event: "rtmpt_open", outcome: "ok", origin, status: 200 }),
      { event: "rtmpt_close", outcome: "ok", origin, status: 200 },
      expect.objectContaining({ event: "rtmpt_open", outcome: "failed", status: 502 }),
    ]);
    expect(JSON.stringify(lines)).not.toContain("BODY-MARKER");
  });
});

describe("/healthz in proxy mode", () => {
  it("reports the mode and which origins answer", async () => {
    handlers[B] = () => "refuse";
    // XMPP edge off: only the origins decide the status (one of two up: 200).
    const res = await app.request("https://porthole.example/healthz", {}, vars({ XMPP_WEBSOCKET_URL: "" }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rtmpt: { mode: string; up: number; probe: unknown[] } };
    expect(body.rtmpt.mode).toBe("proxy");
    expect(body.rtmpt.probe).toEqual([
      { origin: A, up: true, status: 404 },
      { origin: B, up: false, error: "unreachable" },
    ]);
    expect(body.rtmpt.up).toBe(1);
    expect(JSON.stringify(body)).not.toContain("worker-test-secret");
  });
});

describe("/healthz in gateway mode", () => {
  it("probes rtmp:// origins with a TCP connect", async () => {
    const res = await app.request("https://porthole.example/healthz", {}, vars({ RTMPT_ORIGINS: "rtmp://127.0.0.1:1" }));
    const body = (await res.json()) as { rtmpt: { mode: string; probe: unknown[]; up: number } };
    expect(body.rtmpt.mode).toBe("gateway");
    expect(body.rtmpt.probe).toEqual([{ origin: "rtmp://127.0.0.1:1", up: false, error: "unreachable" }]);
    expect(body.rtmpt.up).toBe(0);
  });
});
