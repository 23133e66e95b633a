// The PWA's reading of its own CSP connect-src (web/src/model/site/csp.ts): CSP3 source matching as Chromium does it.
import { describe, expect, it } from "vitest";
import { allowsConnect, pageConnectPolicy, parseConnectPolicy } from "../../../web/src/model/site/csp";

const PAGE = "http://127.0.0.1:8787/";
const HTTPS_PAGE = "https://chat.example.org/";
/** What the worker sends (worker/http/security.ts), with an XMPP_CONNECT_SRC list appended. */
const worker = (extra = "", ws = "ws://127.0.0.1:8787/xmpp-websocket") =>
  `default-src 'none'; script-src 'self'; connect-src 'self' ${ws} ${extra}; frame-ancestors 'none'`;

// [policy, url, page, allowed]
const CASES: Array<[string, string, string, boolean]> = [
  // 'self' and this host's WebSocket
  [worker(), "ws://127.0.0.1:8787/xmpp-websocket", PAGE, true],
  [worker(), "http://127.0.0.1:8787/.well-known/host-meta", PAGE, true],
  [worker(), "wss://127.0.0.1:8787/other", PAGE, true], // 'self': same host and port, secure scheme
  [worker(), "ws://127.0.0.1:9999/xmpp-websocket", PAGE, false],
  [worker(), "ws://localhost:8787/xmpp-websocket", PAGE, false],
  [worker(), "https://localhost/.well-known/host-meta.json", PAGE, false],
  [worker("", "wss://chat.example.org/xmpp-websocket"), "wss://chat.example.org/xmpp-websocket", HTTPS_PAGE, true],
  [worker("", "wss://chat.example.org/xmpp-websocket"), "ws://chat.example.org/xmpp-websocket", HTTPS_PAGE, false],
  // scheme-only sources
  [worker("wss:"), "wss://xmpp.example.net/ws", PAGE, true],
  [worker("wss:"), "https://example.net/.well-known/host-meta", PAGE, false],
  [worker("https:"), "https://example.net/.well-known/host-meta", PAGE, true],
  [worker("https:"), "wss://xmpp.example.net/ws", PAGE, false],
  [worker("ws:"), "wss://xmpp.example.net/ws", PAGE, true], // upgrade
  [worker("wss:"), "ws://xmpp.example.net/ws", PAGE, false], // no downgrade
  // host sources: scheme, port, wildcard label
  [worker("wss://xmpp.example.net"), "wss://xmpp.example.net/ws", PAGE, true],
  [worker("wss://xmpp.example.net"), "wss://XMPP.Example.net:443/ws", PAGE, true],
  [worker("wss://xmpp.example.net"), "wss://xmpp.example.net:5281/ws", PAGE, false],
  [worker("wss://xmpp.example.net:5281"), "wss://xmpp.example.net:5281/ws", PAGE, true],
  [worker("wss://xmpp.example.net:5281"), "wss://xmpp.example.net/ws", PAGE, false],
  [worker("wss://xmpp.example.net:*"), "wss://xmpp.example.net:5281/ws", PAGE, true],
  [worker("wss://xmpp.example.net"), "wss://evil.example.net/ws", PAGE, false],
  [worker("wss://xmpp.example.net"), "wss://xmpp.example.net.evil.org/ws", PAGE, false],
  [worker("https://example.net"), "https://example.net/.well-known/host-meta.json", PAGE, true],
  [worker("https://example.net"), "wss://example.net/ws", PAGE, false],
  [worker("ws://example.net"), "wss://example.net/ws", PAGE, true], // scheme and default port upgrade together
  [worker("http://example.net:8080"), "https://example.net:8080/", PAGE, false], // explicit port: no upgrade
  [worker("wss://*.example.net"), "wss://xmpp.example.net/ws", PAGE, true],
  [worker("wss://*.example.net"), "wss://a.b.example.net/ws", PAGE, true],
  [worker("wss://*.example.net"), "wss://example.net/ws", PAGE, false],
  [worker("wss://*.example.net"), "wss://badexample.net/ws", PAGE, false],
  [worker("wss://*.example.net"), "https://xmpp.example.net/", PAGE, false],
  // scheme-less host source: the page's scheme
  [worker("example.net"), "http://example.net/x", PAGE, true],
  [worker("example.net"), "https://example.net/x", PAGE, true],
  [worker("example.net"), "wss://example.net/x", PAGE, false],
  // paths: a trailing slash is a prefix, else the exact path
  [worker("wss://x.example.net/xmpp/"), "wss://x.example.net/xmpp/ws", PAGE, true],
  [worker("wss://x.example.net/xmpp/"), "wss://x.example.net/other", PAGE, false],
  [worker("wss://x.example.net/ws"), "wss://x.example.net/ws", PAGE, true],
  [worker("wss://x.example.net/ws"), "wss://x.example.net/ws2", PAGE, false],
  [worker("wss://x.example.net/ws"), "wss://x.example.net/ws?q=1", PAGE, true],
  [worker("wss://x.example.net/a%20b/"), "wss://x.example.net/a%20b/ws", PAGE, true],
  // keywords, '*', default-src, several policies
  ["default-src 'none'", "wss://x.example.net/ws", PAGE, false],
  ["default-src 'none'", "http://127.0.0.1:8787/", PAGE, false],
  ["default-src 'self'", "http://127.0.0.1:8787/", PAGE, true],
  ["connect-src 'none'", "http://127.0.0.1:8787/", PAGE, false],
  ["connect-src *", "wss://anything.example/ws", PAGE, true],
  ["connect-src *", "data:text/plain,x", PAGE, false],
  ["connect-src 'unsafe-inline' 'nonce-abc'", "wss://x.example.net/ws", PAGE, false],
  ["script-src 'self'", "wss://x.example.net/ws", PAGE, true], // connect not restricted
  ["", "wss://x.example.net/ws", PAGE, true],
  ["CONNECT-SRC WSS:", "wss://x.example.net/ws", PAGE, true],
  ["connect-src wss:; connect-src 'none'", "wss://x.example.net/ws", PAGE, true], // the first directive wins
  ["connect-src wss:, connect-src wss://x.example.net", "wss://x.example.net/ws", PAGE, true],
  ["connect-src wss:, connect-src wss://x.example.net", "wss://y.example.net/ws", PAGE, false], // both must allow
  // not URLs
  [worker("wss:"), "not a url", PAGE, false],
];

describe("CSP connect-src matching", () => {
  it.each(CASES)("%s allows %s from %s: %s", (policy, url, page, allowed) => {
    expect(allowsConnect(parseConnectPolicy(policy), url, page)).toBe(allowed);
  });
});

describe("reading the page's policy", () => {
  it("asks with a same-origin HEAD once and caches the answer", async () => {
    const asked: Array<[string, string | undefined]> = [];
    const read = pageConnectPolicy(
      async (url, init) => {
        asked.push([String(url), init?.method]);
        return new Response(null, { headers: { "content-security-policy": "connect-src 'self'" } });
      },
      () => PAGE,
    );
    const policy = await read();
    expect(policy && allowsConnect(policy, "wss://x.example.net/", PAGE)).toBe(false);
    expect(await read()).toBe(policy);
    expect(asked).toEqual([[PAGE, "HEAD"]]);
  });

  it("answers null when the HEAD fails (offline), and asks again next time", async () => {
    let calls = 0;
    const read = pageConnectPolicy(
      async () => {
        calls++;
        if (calls === 1) throw new TypeError("Failed to fetch");
        return new Response(null, { headers: { "content-security-policy": "connect-src 'none'" } });
      },
      () => PAGE,
    );
    expect(await read()).toBeNull();
    expect((await read())?.lists).toHaveLength(1);
    expect(calls).toBe(2);
  });
});
