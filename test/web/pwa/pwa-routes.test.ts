import { describe, expect, it } from "vitest";
import { isSkipWaiting, isWebsocketPath, NETWORK_ONLY, SKIP_WAITING, servesShell } from "../../../web/src/pwa/routes";

describe("service worker navigation routing", () => {
  it("answers app routes with the cached shell", () => {
    for (const path of ["/", "/?jid=alice", "/chat/bob@example.com", "/roster", "/opened", "/healthzone", "/sendmail"]) {
      expect(servesShell(path), path).toBe(true);
    }
  });

  it("sends the worker's own endpoints to the network", () => {
    for (const path of [
      "/xmpp-websocket",
      "/xmpp-websocket?x=1",
      "/fcs/ident2",
      "/open/1",
      "/send/abc123/0",
      "/idle/abc123/7",
      "/close/abc123/9",
      "/healthz",
      "/healthz?verbose",
      "/push/vapid-public-key",
      "/push/devices/abc",
      "/.well-known/host-meta",
      "/.well-known/host-meta.json",
    ]) {
      expect(servesShell(path), path).toBe(false);
    }
  });

  it("follows the XMPP WebSocket's configured path (XMPP_WEBSOCKET_PATH, as host-meta names it)", () => {
    for (const path of ["/chat/xmpp", "/chat/xmpp?x=1", "/chat/xmpp/rest"]) {
      expect(servesShell(path, "/chat/xmpp"), path).toBe(false);
    }
    // The default path is an app route like any other once the WebSocket is elsewhere.
    for (const path of ["/xmpp-websocket", "/chat/xmppx", "/chat", "/chat/bob@example.com"]) {
      expect(servesShell(path, "/chat/xmpp"), path).toBe(true);
    }
    expect(isWebsocketPath("/ws", "/ws")).toBe(true);
    expect(isWebsocketPath("/wss", "/ws")).toBe(false);
  });

  it("lets a missing file stay a 404 instead of becoming the app", () => {
    for (const path of ["/robots.txt", "/assets/index-abc.js", "/icons/icon-192.png", "/a/b/file.json?v=2"]) {
      expect(servesShell(path), path).toBe(false);
    }
    expect(servesShell("/chat/alice@example.org/resource.1")).toBe(true);
  });

  it("keeps the deny list as plain regular expressions (NavigationRoute's format)", () => {
    expect(NETWORK_ONLY.every((re) => re instanceof RegExp && !re.global)).toBe(true);
  });

  it("recognises workbox-window's skip-waiting message and nothing else", () => {
    expect(isSkipWaiting(SKIP_WAITING)).toBe(true);
    expect(isSkipWaiting({ type: "SKIP_WAITING", extra: 1 })).toBe(true);
    for (const data of [null, undefined, "SKIP_WAITING", { type: "skip_waiting" }, { meta: "SKIP_WAITING" }, 42]) {
      expect(isSkipWaiting(data)).toBe(false);
    }
  });
});
