// worker/xmpp/handshake.ts: the XMPP WebSocket opening handshake checks (RFC 6455 §4.1/§4.2.1, RFC 7395
// §3.2), each refusal in its order, and the loop check.
import { describe, expect, it } from "vitest";
import { headerTokens } from "../../worker/http/headers";
import { isThisEndpoint, refuseHandshake } from "../../worker/xmpp/handshake";

const GOOD = {
  upgrade: "websocket",
  connection: "Upgrade",
  "sec-websocket-version": "13",
  "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
  "sec-websocket-protocol": "xmpp",
};
const check = (headers: Record<string, string>, method = "GET") => refuseHandshake(method, new Headers(headers));

describe("refuseHandshake", () => {
  it("accepts RFC 6455's sample handshake with the xmpp subprotocol, in any case and among other tokens", () => {
    expect(check(GOOD)).toBeNull();
    expect(check({ ...GOOD, upgrade: "WebSocket" })).toBeNull();
    expect(check({ ...GOOD, upgrade: "h2c, websocket" })).toBeNull();
    expect(check({ ...GOOD, "sec-websocket-protocol": "chat , XMPP" })).toBeNull();
  });

  it("405 with Allow: GET for any method but GET and HEAD, before looking at headers", () => {
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "get"]) {
      expect(check(GOOD, method), method).toEqual({
        status: 405,
        message: "Method not allowed: open a WebSocket (GET with Upgrade: websocket)",
        headers: { Allow: "GET" },
      });
    }
  });

  it("426 Upgrade: websocket for HEAD and for a GET without a websocket upgrade", () => {
    const upgradeRequired = {
      status: 426,
      message: "Upgrade required: this is an XMPP WebSocket endpoint (RFC 7395)",
      headers: { Upgrade: "websocket" },
    };
    expect(check(GOOD, "HEAD")).toEqual(upgradeRequired);
    expect(check({})).toEqual(upgradeRequired);
    expect(check({ ...GOOD, upgrade: "h2c" })).toEqual(upgradeRequired);
    expect(check({ ...GOOD, upgrade: "websockets" })).toEqual(upgradeRequired);
  });

  it("426 naming version 13 for any other version", () => {
    for (const version of ["8", "12", "13, 8", "013", ""]) {
      expect(check({ ...GOOD, "sec-websocket-version": version }), version).toEqual({
        status: 426,
        message: "Unsupported WebSocket version (expected 13)",
        headers: { Upgrade: "websocket", "Sec-WebSocket-Version": "13" },
      });
    }
    const { "sec-websocket-version": _, ...noVersion } = GOOD;
    expect(check(noVersion)?.status).toBe(426);
  });

  it("400 for a key that is not 16 bytes of base64, then for no xmpp subprotocol", () => {
    for (const key of [
      "",
      "dGhlIHNhbXBsZSBub25jZQ=",
      "dGhlIHNhbXBsZSBub25jZQ",
      "dGhlIHNhbXBsZSBub25jZQ==x",
      "dGhlIHNhbXBsZSBub25jZ!==",
    ]) {
      expect(check({ ...GOOD, "sec-websocket-key": key })?.message, key).toBe(
        "Bad WebSocket handshake: missing or malformed Sec-WebSocket-Key",
      );
    }
    for (const protocol of ["", "chat", "xmpp-framing", "xmp"]) {
      expect(check({ ...GOOD, "sec-websocket-protocol": protocol }), protocol).toEqual({
        status: 400,
        message: "Bad WebSocket handshake: Sec-WebSocket-Protocol must offer xmpp (RFC 7395)",
        headers: {},
      });
    }
    // The key is checked first.
    expect(check({ ...GOOD, "sec-websocket-key": "x", "sec-websocket-protocol": "chat" })?.message).toMatch(/Key/);
  });
});

describe("isThisEndpoint", () => {
  it("is true only for the same host (any case, same port) and the same path", () => {
    const here = new URL("https://Chat.Example:8443/xmpp-websocket?x=1");
    expect(isThisEndpoint(new URL("wss://chat.example:8443/xmpp-websocket"), here)).toBe(true);
    expect(isThisEndpoint(new URL("wss://chat.example/xmpp-websocket"), here)).toBe(false);
    expect(isThisEndpoint(new URL("wss://chat.example:8443/other"), here)).toBe(false);
    expect(isThisEndpoint(new URL("wss://xmpp.example:8443/xmpp-websocket"), here)).toBe(false);
  });
});

describe("headerTokens", () => {
  it("splits on commas, trims, lower-cases and drops empty tokens", () => {
    expect(headerTokens(" Keep-Alive ,,Upgrade, ")).toEqual(["keep-alive", "upgrade"]);
    expect(headerTokens(null)).toEqual([]);
    expect(headerTokens(undefined)).toEqual([]);
  });
});
