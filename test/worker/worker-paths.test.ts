// The worker's own paths and the PWA's service worker agree: web/src/pwa/routes.ts keeps its own copy of
// the list (the web build does not import worker code), and this checks that copy against the worker's
// source of truth, RTMPT_PREFIXES (worker/rtmpt/protocol.ts) and the default XMPP_WEBSOCKET_PATH.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { servesShell } from "../../web/src/pwa/routes";
import { parseConfig } from "../../worker/env";
import { RTMPT_PREFIXES } from "../../worker/rtmpt/protocol";

describe("paths the worker answers itself are never the service worker's app shell", () => {
  it("covers every RTMPT prefix, with and without a rest, and the default XMPP WebSocket path", () => {
    const xmpp = parseConfig({ ...env, XMPP_WEBSOCKET_PATH: "" }).xmppWebSocketPath;
    expect(xmpp).toBe("/xmpp-websocket");
    const paths = [
      ...RTMPT_PREFIXES.flatMap((p) => [`/${p}`, `/${p}/1`, `/${p}?x`]),
      xmpp,
      `${xmpp}?v=1`,
      "/healthz",
      "/.well-known/host-meta",
      "/live/live/cam.flv",
    ];
    for (const path of paths) expect(servesShell(path), path).toBe(false);
    // Look-alikes stay app routes.
    for (const path of RTMPT_PREFIXES.map((p) => `/${p}ed`)) expect(servesShell(path), path).toBe(true);
  });

  it("refuses an XMPP_WEBSOCKET_PATH under any RTMPT prefix", () => {
    for (const p of RTMPT_PREFIXES) {
      expect(() => parseConfig({ ...env, XMPP_WEBSOCKET_PATH: `/${p}/ws` }), p).toThrow(`is under /${p}`);
    }
  });
});
