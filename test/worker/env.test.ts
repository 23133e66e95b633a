import { describe, expect, it } from "vitest";
import { ConfigError, getConfig, parseConfig } from "../../worker/env";

describe("config parsing", () => {
  it("defaults: RTMPT off, 16 MiB body cap", () => {
    const c = parseConfig({});
    expect(c.rtmptMode).toBe("off");
    expect(c.maxBody).toBe(16 * 1024 * 1024);
    expect(c.xmppWebSocketUrl).toBeNull();
  });

  it("http origins select proxy mode, rtmp origins gateway mode, with default ports", () => {
    const p = parseConfig({ RTMPT_ORIGINS: "http://a.example:1935, https://b.example" });
    expect(p.rtmptMode).toBe("proxy");
    expect(p.origins.map((o) => [o.index, o.host, o.port])).toEqual([
      [0, "a.example", 1935],
      [1, "b.example", 443],
    ]);
    const g = parseConfig({ RTMPT_ORIGINS: "rtmp://127.0.0.1" });
    expect(g.rtmptMode).toBe("gateway");
    expect(g.origins[0]?.port).toBe(1935);
  });

  it.each([
    ["RTMPT_ORIGINS", { RTMPT_ORIGINS: "not a url" }],
    ["RTMPT_ORIGINS", { RTMPT_ORIGINS: "ftp://x:21" }],
    ["RTMPT_ORIGINS", { RTMPT_ORIGINS: "http://x:1935/path" }],
    ["RTMPT_ORIGINS", { RTMPT_ORIGINS: "http://x:1935,rtmp://y:1935" }],
    ["XMPP_WEBSOCKET_URL", { XMPP_WEBSOCKET_URL: "http://x/xmpp" }],
    ["RTMPT_MAX_BODY", { RTMPT_MAX_BODY: "-5" }],
    ["RTMPT_ORIGIN_TIMEOUT_MS", { RTMPT_ORIGIN_TIMEOUT_MS: "0" }],
  ])("a bad value names %s", (variable, env) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    const result = getConfig(env);
    expect(result).toBeInstanceOf(ConfigError);
    expect((result as ConfigError).variable).toBe(variable);
    expect((result as ConfigError).message).toContain(variable);
  });
});

describe("config parsing: XMPP edge", () => {
  it("defaults: /xmpp-websocket, no extra connect-src", () => {
    const c = parseConfig({});
    expect(c.xmppWebSocketPath).toBe("/xmpp-websocket");
    expect(c.xmppConnectSrc).toEqual([]);
  });

  it("accepts a custom path and wss:/https: connect sources", () => {
    const c = parseConfig({
      XMPP_WEBSOCKET_PATH: "/chat/ws",
      XMPP_CONNECT_SRC: "wss://X.example:5443, https://*.example.org wss:",
    });
    expect(c.xmppWebSocketPath).toBe("/chat/ws");
    expect(c.xmppConnectSrc).toEqual(["wss://x.example:5443", "https://*.example.org", "wss:"]);
  });

  // Every prefix another route of the worker answers (routes/*.ts), as the path itself or below it.
  it.each([
    "/fcs/ws",
    "/open",
    "/send/x",
    "/idle/ws",
    "/close/ws",
    "/live/ws",
    "/live",
    "/upload/ws",
    "/upload",
    "/push/ws",
    "/push",
    "/.well-known/host-meta.json",
    "/healthz",
    "/healthz/ws",
    "/assets/ws",
  ])("refuses XMPP_WEBSOCKET_PATH %s: another route answers it", (path) => {
    const result = getConfig({ XMPP_WEBSOCKET_PATH: path });
    expect(result).toBeInstanceOf(ConfigError);
    expect((result as ConfigError).variable).toBe("XMPP_WEBSOCKET_PATH");
    const prefix = `/${path.split("/")[1]}`;
    expect((result as ConfigError).message).toContain(`"${path}" is under ${prefix}, which the worker already routes`);
  });

  it.each(["/livestream", "/pushed/ws", "/uploads", "/healthzz", "/xmpp/open"])(
    "accepts XMPP_WEBSOCKET_PATH %s: only shares a prefix's letters",
    (path) => {
      expect(parseConfig({ XMPP_WEBSOCKET_PATH: path }).xmppWebSocketPath).toBe(path);
    },
  );

  it.each([
    ["XMPP_WEBSOCKET_PATH", { XMPP_WEBSOCKET_PATH: "xmpp" }],
    ["XMPP_WEBSOCKET_PATH", { XMPP_WEBSOCKET_PATH: "/a/../b" }],
    ["XMPP_WEBSOCKET_PATH", { XMPP_WEBSOCKET_PATH: "/ws?x=1" }],
    ["XMPP_WEBSOCKET_PATH", { XMPP_WEBSOCKET_PATH: "/open/ws" }],
    ["XMPP_WEBSOCKET_PATH", { XMPP_WEBSOCKET_PATH: "/.well-known/ws" }],
    ["XMPP_CONNECT_SRC", { XMPP_CONNECT_SRC: "*" }],
    ["XMPP_CONNECT_SRC", { XMPP_CONNECT_SRC: "ws://plain.example" }],
    ["XMPP_CONNECT_SRC", { XMPP_CONNECT_SRC: "https://x.example/path" }],
    ["XMPP_CONNECT_SRC", { XMPP_CONNECT_SRC: "wss://x.example; script-src *" }],
  ])("a bad value names %s", (variable, env) => {
    const result = getConfig(env);
    expect(result).toBeInstanceOf(ConfigError);
    expect((result as ConfigError).variable).toBe(variable);
  });
});
