// Proxy mode, what is forwarded (ProxyPass + ProxyPassReverse semantics), through the worker's public surface
// in workerd: the five RTMPT prefixes with path and query, bad paths, methods and body limits answered by the
// worker itself, forwarding headers (RFC 7239) and hop-by-hop stripping (RFC 9110 §7.6.1), every byte value.
// Fake origins: rtmpt-proxy-support.ts.
import { describe, expect, it } from "vitest";
import app from "../../worker/index";
import { TAG_LENGTH } from "../../worker/rtmpt/proxy/session-tags";
import { A, B, handlers, open, post, seen, useFakeOrigins, vars } from "./rtmpt-proxy-support";

useFakeOrigins();

describe("proxy mode: what is forwarded", () => {
  it("forwards the five prefixes (exact segment) with path and query, and leaves look-alikes to the app", async () => {
    const res = await post("/fcs/ident2?x=1");
    expect(res.status).toBe(404); // the origin's own answer, as Red5 gives Flash
    expect(seen.map((s) => new URL(s.url).pathname + new URL(s.url).search)).toEqual(["/fcs/ident2?x=1"]);
    const { id } = await open();
    for (const kind of ["send", "idle", "close"]) {
      const r = await post(`/${kind}/${id}/7?a=b`);
      expect(r.status, kind).toBe(200);
    }
    const origin = seen.at(-1)?.url ?? "";
    const originId = id.slice(TAG_LENGTH);
    expect(seen.slice(-3).map((s) => s.url)).toEqual(
      ["send", "idle", "close"].map((k) => `${new URL(origin).origin}/${k}/${originId}/7?a=b`),
    );
    const before = seen.length;
    const lookAlike = await app.request("https://porthole.example/opened", { headers: { accept: "text/html" } }, vars());
    expect(lookAlike.status).toBe(200);
    expect(await lookAlike.text()).toContain('<div id="app">');
    expect(seen.length).toBe(before);
  });

  it("answers bad RTMPT paths itself (400/404) without calling an origin", async () => {
    const cases: [string, number][] = [
      ["/open", 400],
      ["/open/1/2", 400],
      ["/open/x", 400],
      ["/send/abc", 400],
      ["/idle/abc/1/2", 400],
      ["/close/abc/notanumber", 400],
      ["/send/ab-c/1", 400],
      ["/fcs", 404],
      ["/fcs/ident2/x", 404],
      ["/fcs/ident2%2F..%2Fx", 404],
    ];
    for (const [path, status] of cases) {
      const res = await post(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get("content-type"), path).toBe("text/plain; charset=utf-8");
    }
    expect(seen).toEqual([]);
  });

  it("accepts only POST (405 with Allow) and refuses bodies over RTMPT_MAX_BODY with 413, streamed or not", async () => {
    const get = await app.request("https://porthole.example/idle/abc/1", {}, vars());
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const small = vars({ RTMPT_MAX_BODY: "100" });
    const { id } = await open(small);
    const big = await post(`/send/${id}/1`, new Uint8Array(101), {}, small);
    expect(big.status).toBe(413);
    expect(await big.text()).toBe("Request body too large\n");
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array(40));
        c.close();
      },
    });
    const chunked = await post(`/send/${id}/2`, stream, {}, small);
    expect(chunked.status).toBe(413);
    expect(seen.filter((s) => s.url.includes("/send/"))).toEqual([]);
  });

  it("drops hop-by-hop headers, sets its own forwarding headers, never passes the client's Host", async () => {
    await post("/open/1", new Uint8Array([0]), {
      "cf-connecting-ip": "203.0.113.7",
      "x-forwarded-for": "6.6.6.6",
      "x-forwarded-proto": "gopher",
      forwarded: "for=6.6.6.6",
      "x-real-ip": "6.6.6.6",
      connection: "keep-alive, x-secret-hop",
      "x-secret-hop": "1",
      "keep-alive": "timeout=5",
      te: "trailers",
      "proxy-authorization": "Basic Zm9vOmJhcg==",
      authorization: "Bearer this-hosts-token",
      cookie: "session=this-hosts-cookie",
      "user-agent": "Shockwave Flash",
    });
    const h = seen[0]?.headers ?? new Headers();
    expect(h.get("x-forwarded-for")).toBe("203.0.113.7");
    expect(h.get("x-forwarded-proto")).toBe("https");
    expect(h.get("forwarded")).toBe('for=203.0.113.7;host="porthole.example";proto=https');
    for (const name of [
      "x-real-ip",
      "x-secret-hop",
      "keep-alive",
      "te",
      "proxy-authorization",
      "cf-connecting-ip",
      "authorization",
      "cookie",
    ]) {
      expect(h.has(name), name).toBe(false);
    }
    expect(h.get("user-agent")).toBe("Shockwave Flash");
    expect(h.get("content-type")).toBe("application/x-fcs");
    expect(h.get("accept-encoding")).toBe("identity");
    expect([A, B]).toContain(new URL(seen[0]?.url ?? "").origin);
  });

  it("carries every byte value both ways", async () => {
    const { id } = await open();
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const res = await post(`/send/${id}/0`, all, { "content-length": "256" });
    expect(res.status).toBe(200);
    // (Content-Length is added when workerd serialises the response: test/e2e/rtmpt-proxy.test.ts checks it on the wire.)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(all);
    expect(seen.at(-1)?.body).toEqual(all);
  });

  it("rewrites origin URLs in Location / Content-Location / URI (ProxyPassReverse) and strips hop-by-hop replies", async () => {
    handlers[A] = handlers[B] = () =>
      new Response("moved", {
        status: 302,
        headers: {
          location: `${A}/open/1?x=1`,
          "content-location": `${B}/fcs/ident2`,
          uri: "http://elsewhere.example/x",
          connection: "close, x-hop",
          "x-hop": "1",
          "keep-alive": "timeout=5",
        },
      });
    const res = await post("/fcs/ident2");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://porthole.example/open/1?x=1");
    expect(res.headers.get("content-location")).toBe("https://porthole.example/fcs/ident2");
    expect(res.headers.get("uri")).toBe("http://elsewhere.example/x");
    for (const name of ["connection", "x-hop", "keep-alive"]) expect(res.headers.has(name), name).toBe(false);
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });

  it("keeps the origin's own Cache-Control and adds no-cache only when it sent none", async () => {
    handlers[A] = handlers[B] = () => new Response("x", { headers: { "cache-control": "private, max-age=0" } });
    expect((await post("/fcs/ident2")).headers.get("cache-control")).toBe("private, max-age=0");
  });
});
