// Hostile and malformed input to the worker, table-driven, in workerd (issue 9). Proxy and gateway mode go
// through the worker's fetch handler with those modes' vars (app.request), the default config through SELF.
// Every answer must be a clear 4xx (or the SPA for unknown GETs) with a short plain body, never a 5xx, a
// stack or an internal address, and only the configured upstreams may ever be contacted.
import { SELF } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { TAG_LENGTH } from "../../worker/rtmpt/origins";
import {
  assertClean,
  assertOnlyConfiguredUpstreams,
  installUpstreams,
  type Mode,
  openSession,
  outbound,
  request,
  XMPP_HANDSHAKE,
} from "./hostile-support";

const PREFIXES = ["fcs", "open", "send", "idle", "close"];
const post = (body: BodyInit | null = new Uint8Array([0]), headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  body,
  headers: { "content-type": "application/x-fcs", ...headers },
});

/** Every request that reached an origin named an RTMPT path of the grammar, nothing traversed or re-encoded. */
function assertForwardedPathsClean(label: string): void {
  assertOnlyConfiguredUpstreams(label);
  for (const req of outbound) {
    const url = new URL(req.url);
    if (url.port === "5280") continue;
    expect(url.pathname, label).toMatch(/^\/(fcs\/[A-Za-z0-9]+|open\/\d{1,3}|(send|idle|close)\/[A-Za-z0-9]+\/\d{1,10})$/);
    expect(req.url, label).not.toMatch(/[\r\n]/);
  }
}

let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  installUpstreams();
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe("RTMPT paths: traversal, encodings, overlong and non-numeric parts", () => {
  const cases: [string, number[]][] = [
    ["/open/1/..%2f..%2fadmin", [400]],
    ["/open/..%2fadmin", [400]],
    ["/idle/abc%2f..%2f..%2fadmin/1", [400]],
    ["/send/%2e%2e%2f%2e%2e%2fadmin/1", [400]],
    ["/close/%252e%252e%252fadmin/1", [400]],
    ["/send/abc/%2e%2e", [400]],
    ["/fcs/..%5c..%5cadmin", [404]],
    ["/fcs/ident2%00", [404]],
    ["/fcs/ident2%2f..%2f..%2fadmin", [404]],
    ["/open/1%00", [400]],
    ["/open/1;jsessionid=x", [400]],
    ["/open/1%20HTTP/1.1", [400]],
    ["/send/AAAA%0d%0aX-Injected:%201/1", [400]],
    ["/idle/AAAA/1%0d%0aX-Injected:%201", [400]],
    ["/open/1@evil.example", [400]],
    ["/open/1:80", [400]],
    ["/open/1234", [400]],
    [`/send/${"a".repeat(65)}/1`, [400]],
    [`/send/${"a".repeat(20_000)}/1`, [400]],
    [`/idle/AAAA/${"9".repeat(11)}`, [400]],
    [`/idle/AAAA/${"1".repeat(5000)}`, [400]],
    ...["-1", "+1", "1e3", "0x1f", "1.5", "NaN", "Infinity", "%201", "%EF%BC%91", "", "1%00"].map((seq): [string, number[]] => [
      `/close/AAAA/${seq}`,
      [400],
    ]),
    ["/send", [400]],
    ["/send/", [400]],
    ["/idle//1", [400]],
    ["/close/a/b/c/d", [400]],
    [`/fcs/${"x".repeat(17)}`, [404]],
  ];
  for (const mode of ["proxy", "gateway"] as Mode[]) {
    it(`${mode} mode: ${cases.length} malformed paths answered 400/404 by the worker, nothing forwarded`, async () => {
      for (const [path, statuses] of cases) {
        const res = await request(mode, path, post());
        await assertClean(res, `${mode} ${path.slice(0, 80)}`, { statuses });
      }
      expect(outbound.map((r) => r.url)).toEqual([]);
    });
  }

  it("dot segments (plain or %2e-encoded) are resolved before routing: the result is an RTMPT path or not at all", async () => {
    for (const path of ["/send/../open/1", "/send/%2e%2e/open/1", "/open/./1", "/x/../open/1", "/send/%2E%2e/%2e./healthz"]) {
      const res = await request("proxy", path, post());
      expect(res.status, path).toBeLessThan(500);
      await res.body?.cancel();
    }
    assertForwardedPathsClean("dot segments");
    expect(outbound.every((r) => new URL(r.url).pathname === "/open/1")).toBe(true);
  });

  it("look-alike prefixes (/OPEN, /open%2f1, //open/1, /opened) are not RTMPT: the SPA for GET, never an origin", async () => {
    for (const path of ["/OPEN/1", "/open%2f1", "//open/1", "/opened", "/send.php/x/1", "/idle%00/x/1"]) {
      const get = await request("proxy", path, { headers: { accept: "text/html" } });
      await assertClean(get, `GET ${path}`, { spa: true });
      const p = await request("proxy", path, post());
      expect(p.status, `POST ${path}`).toBeLessThan(500);
      await p.body?.cancel();
    }
    // Found by the fuzzer: a streamed body to an app path with Upgrade headers made the assets layer throw (500).
    for (const mode of ["proxy", "off"] as Mode[]) {
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new Uint8Array(1000));
          c.close();
        },
      });
      const headers = { upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13" };
      const res = await request(mode, "/send.php/312/f1e06B5d/)=&'AA*.", {
        method: "POST",
        headers,
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(res.status, mode).toBeLessThan(500);
      await res.body?.cancel();
    }
    expect(outbound).toEqual([]);
  });
});

describe("RTMPT sessions: forged and other sessions' ids (proxy mode)", () => {
  it("refuses ids whose tag does not verify with 404 and malformed ones with 400, without calling an origin", async () => {
    const id = await openSession();
    const originId = id.slice(TAG_LENGTH);
    const otherIndex = id.charAt(0) === "0" ? "1" : "0";
    const flip = (s: string, at: number) => s.slice(0, at) + (s.charAt(at) === "0" ? "1" : "0") + s.slice(at + 1);
    const forged: [string, number][] = [
      [flip(id, 1), 404], // MAC changed
      [flip(id, TAG_LENGTH - 1), 404],
      [otherIndex + id.slice(1), 404], // moved to the other origin
      [`f${id.slice(1)}`, 404], // an origin that is not configured
      [`${id.slice(0, TAG_LENGTH)}${originId}X`, 404], // another origin id under the same tag
      [`${id.charAt(0)}${"0".repeat(12)}${originId}`, 404],
      [id.toUpperCase() === id ? id.toLowerCase() : id.toUpperCase(), 404],
      [id.slice(0, TAG_LENGTH), 400], // tag only
      ["x".repeat(63), 400], // longer than any public id
      [`g${"0".repeat(12)}AAAA1`, 404], // index is not hex
    ];
    outbound.length = 0;
    for (const [bad, status] of forged) {
      for (const kind of ["send", "idle", "close"]) {
        const res = await request("proxy", `/${kind}/${bad}/1`, post());
        await assertClean(res, `${kind} ${bad}`, { statuses: [status] });
      }
    }
    expect(outbound).toEqual([]);
    const good = await request("proxy", `/idle/${id}/1`, post());
    expect(good.status).toBe(200);
  });

  it("gateway mode: an id that names no session is 404 (no state is created for it)", async () => {
    for (const id of ["a", "0".repeat(32), "Z".repeat(64)]) {
      const res = await request("gateway", `/idle/${id}/0`, post());
      await assertClean(res, `gateway ${id}`, { statuses: [404] });
    }
  });
});

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

describe("headers: injection, Host and forwarding claims", () => {
  it("CR/LF encoded into the path or query never becomes a header, upstream or downstream", async () => {
    const id = await openSession();
    for (const path of [
      "/open/1?a=%0d%0aX-Injected:%201",
      `/idle/${id}/1?%0d%0aHost:%20evil.example%0d%0a%0d%0aGET%20/admin`,
      "/fcs/ident2?x=%0AX-Injected:1",
    ]) {
      const res = await request("proxy", path, post());
      expect(res.status, path).toBeLessThan(500);
      expect(res.headers.has("x-injected")).toBe(false);
      await res.body?.cancel();
    }
    assertForwardedPathsClean("crlf");
    for (const req of outbound) {
      expect(req.headers.has("x-injected")).toBe(false);
      req.headers.forEach((v) => {
        expect(v).not.toMatch(/[\r\n]/);
      });
    }
  });

  it("the runtime refuses raw CR/LF in header values, so the worker never sees one", () => {
    expect(() => new Headers({ "x-a": "1\r\nX-Injected: 1" })).toThrow();
  });

  it("client Host, X-Forwarded-*, Forwarded, X-Original-URL never pick the upstream and are replaced", async () => {
    const claims = {
      host: "evil.example",
      "x-forwarded-host": "evil.example",
      "x-forwarded-for": "10.0.0.1",
      "x-forwarded-proto": "gopher",
      "x-forwarded-port": "22",
      "x-real-ip": "10.0.0.1",
      forwarded: 'for=10.0.0.1;host="169.254.169.254";proto=http',
      "x-original-url": "/admin",
      "x-rewrite-url": "/admin",
      "x-http-method-override": "DELETE",
      "cf-connecting-ip": "203.0.113.9",
    };
    const id = await openSession();
    outbound.length = 0;
    for (const path of ["/open/1", "/fcs/ident2", `/send/${id}/1`]) {
      const res = await request("proxy", path, post(new Uint8Array([0]), claims));
      expect(res.status, path).toBeLessThan(500);
      await res.body?.cancel();
    }
    assertForwardedPathsClean("claims");
    for (const req of outbound) {
      const h = req.headers;
      expect(h.get("x-forwarded-host")).toBe("porthole.example");
      expect(h.get("x-forwarded-for")).toBe("203.0.113.9");
      expect(h.get("x-forwarded-proto")).toBe("https");
      expect(h.get("forwarded")).toBe('for=203.0.113.9;host="porthole.example";proto=https');
      const dropped = ["x-forwarded-port", "x-real-ip", "x-original-url", "x-rewrite-url", "x-http-method-override"];
      for (const name of [...dropped, "cf-connecting-ip"]) {
        expect(h.has(name), name).toBe(false);
      }
      expect(h.get("host") ?? "").not.toContain("evil");
    }
  });
});

describe("query strings and headers trying to choose an upstream (SSRF)", () => {
  const queries = [
    "?origin=http://169.254.169.254/latest/meta-data",
    "?url=http://127.0.0.1:22/&upstream=evil.example",
    "?host=evil.example&port=6379",
    "?@evil.example",
    "?RTMPT_ORIGINS=http://evil.example",
    "?redirect=//evil.example",
  ];
  it("proxy mode: every RTMPT request still goes to a configured origin", async () => {
    const id = await openSession();
    for (const q of queries) {
      for (const path of ["/open/1", "/fcs/ident2", `/idle/${id}/1`, `/close/${id}/2`]) {
        const res = await request("proxy", `${path}${q}`, post());
        expect(res.status, `${path}${q}`).toBeLessThan(500);
        await res.body?.cancel();
      }
    }
    assertForwardedPathsClean("ssrf");
  });

  it("gateway mode: /open only ever tries the configured rtmp:// origin (dead here: 502)", async () => {
    for (const q of queries) {
      const res = await request("gateway", `/open/1${q}`, post(new Uint8Array([0]), { host: "127.0.0.1:1935" }));
      expect(res.status, q).toBe(502);
      expect(await res.text()).toBe("RTMP origin unavailable\n");
    }
    expect(outbound).toEqual([]);
  });

  it("XMPP: the client's path, query and Host never change the WebSocket upstream", async () => {
    for (const q of queries) {
      const res = await request("proxy", `/xmpp-websocket${q}`, {
        headers: { ...XMPP_HANDSHAKE, host: "evil.example" },
      });
      expect(res.status, q).toBe(101);
      res.webSocket?.accept();
      res.webSocket?.close();
    }
    expect(outbound.map((r) => r.url)).toEqual(queries.map(() => "http://xmpp-upstream.internal:5280/xmpp-websocket"));
  });
});

describe("WebSocket upgrade abuse on every route", () => {
  const upgrade = XMPP_HANDSHAKE;
  it("only the XMPP path with a proper handshake gets a 101; elsewhere a normal answer, never a 5xx", async () => {
    const paths = ["/", "/healthz", "/.well-known/host-meta", "/.well-known/host-meta.json", "/assets/x.js"];
    paths.push("/chat/alice", "/open/1", "/idle/AAAA/1", "/fcs/ident2", "/xmpp-websocket/x", "/xmpp-websocketx");
    for (const mode of ["proxy", "gateway", "off"] as Mode[]) {
      for (const path of paths) {
        for (const method of ["GET", "POST"]) {
          const init: RequestInit = { method, headers: upgrade };
          if (method === "POST") init.body = new Uint8Array([0]);
          const res = await request(mode, path, init);
          expect(res.status, `${mode} ${method} ${path}`).not.toBe(101);
          // A gateway /open tries its (dead) rtmp:// origin: 502 is its intended answer.
          const gatewayOpen = mode === "gateway" && method === "POST" && path === "/open/1";
          expect(res.status, `${mode} ${method} ${path}`).toBe(gatewayOpen ? 502 : res.status < 500 ? res.status : 0);
          expect(res.webSocket).toBeNull();
          await res.body?.cancel();
        }
      }
    }
    // RTMPT POSTs with upgrade headers were forwarded in proxy mode, but without Upgrade / Connection.
    for (const req of outbound) {
      expect(req.headers.has("upgrade"), req.url).toBe(false);
      expect(req.headers.has("connection"), req.url).toBe(false);
    }
    assertForwardedPathsClean("upgrade abuse");
  });

  it("malformed handshakes on the XMPP path are refused with a 4xx and nothing goes upstream", async () => {
    const bad: [Record<string, string>, string, number][] = [
      [{ ...upgrade, "sec-websocket-protocol": "chat" }, "GET", 400],
      [{ ...upgrade, "sec-websocket-key": "short" }, "GET", 400],
      [{ ...upgrade, "sec-websocket-key": `${"A".repeat(200)}==` }, "GET", 400],
      [{ ...upgrade, "sec-websocket-version": "8" }, "GET", 426],
      [{ ...upgrade, upgrade: "h2c" }, "GET", 426],
      [{ ...upgrade, "sec-websocket-protocol": "x".repeat(8000) }, "GET", 400],
      [upgrade, "POST", 405],
      [upgrade, "PUT", 405],
      [{}, "GET", 426],
    ];
    for (const [headers, method, status] of bad) {
      const init: RequestInit = { method, headers };
      if (method !== "GET") init.body = "x";
      const res = await request("proxy", "/xmpp-websocket", init);
      await assertClean(res, `${method} ${JSON.stringify(headers).slice(0, 60)}`, { statuses: [status] });
    }
    expect(outbound).toEqual([]);
  });
});

describe("default config through SELF (RTMPT off, XMPP on)", () => {
  it("unknown GETs get the SPA, RTMPT paths 404, nothing else reaches an upstream", async () => {
    for (const path of [
      "/admin",
      "/../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/.env",
      "/wp-login.php",
      "/a?url=http://evil",
    ]) {
      const res = await SELF.fetch(`http://example.com${path}`, { headers: { accept: "text/html" } });
      await assertClean(res, `SELF GET ${path}`, { spa: true });
    }
    for (const path of ["/open/1", "/idle/x/1", "/fcs/ident2"]) {
      const res = await SELF.fetch(`http://example.com${path}`, post());
      await assertClean(res, `SELF POST ${path}`, { statuses: [404] });
    }
    for (const path of ["/.well-known/../../etc/passwd", "/.well-known/%2e%2e/secret", "/assets/..%2f..%2fworker.js"]) {
      const res = await SELF.fetch(`http://example.com${path}`);
      expect(res.status, path).toBeLessThan(500);
      await res.body?.cancel();
    }
    expect(outbound).toEqual([]);
  });
});

describe("rejection log", () => {
  it("writes exactly one compact structured line per rejection (status, method, path, reason), never the body", async () => {
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
    const lines = warn.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
    const rejected = lines.filter((l) => l.event === "rejected");
    expect(rejected.map((l) => l.status)).toEqual(rejections.map((r) => r[2]));
    for (const l of rejected) {
      expect(Object.keys(l).sort()).toEqual(["event", "method", "path", "reason", "status"]);
      expect(String(l.reason).length).toBeLessThanOrEqual(120);
    }
    expect(JSON.stringify(lines)).not.toContain("BODY-MARKER");
  });
});
