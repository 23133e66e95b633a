// The PWA's watch route (/watch/<app>/<stream>) and the service worker leaving /live/ streams to the network.
import { describe, expect, it } from "vitest";
import { servesShell } from "../../../web/src/pwa/routes";
import { liveUrl, parseWatchPath } from "../../../web/src/watch/watch-path";

describe("watch route", () => {
  it("names a stream with the worker's name rule, anything else is not a watch page", () => {
    expect(parseWatchPath("/watch/live/cam_1-A")).toEqual({ app: "live", stream: "cam_1-A" });
    expect(parseWatchPath("/watch/live/cam/")).toEqual({ app: "live", stream: "cam" });
    for (const p of ["/", "/watch", "/watch/live", "/watch/live/a.b", "/watch/a/b/c", `/watch/a/${"x".repeat(65)}`, "/chat/x"]) {
      expect(parseWatchPath(p), p).toBeNull();
    }
  });

  it("plays the stream's WebSocket-FLV on this host, wss:// on https", () => {
    const t = { app: "live", stream: "cam" };
    expect(liveUrl({ protocol: "http:", host: "127.0.0.1:8787" }, t)).toBe("ws://127.0.0.1:8787/live/live/cam.flv");
    expect(liveUrl({ protocol: "https:", host: "tv.example" }, t)).toBe("wss://tv.example/live/live/cam.flv");
  });

  it("the service worker serves /watch/... with the app shell and never /live/...flv", () => {
    expect(servesShell("/watch/live/cam")).toBe(true);
    expect(servesShell("/live/live/cam.flv")).toBe(false);
  });
});
