// The upload route (worker/routes/upload.ts) in workerd through the app's public surface: only the
// configured upload service is reached, only by path, with PUT/GET/HEAD, a capped and exact body and
// locked-down answers. The upstream is a `fetch` stand-in that records what reached it; the real chain
// through Prosody's mod_http_file_share is test/e2e/pwa-files.test.ts.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../worker/env";
import app from "../../worker/index";
import { DOWNLOAD_TIMEOUT_MS } from "../../worker/routes/upload";

const UPSTREAM = "http://upload-upstream.test:5280/file_share/";

function vars(overrides: Record<string, string> = {}) {
  return { ...env, UPLOAD_URL: UPSTREAM, UPLOAD_MAX_BODY: "1000", ...overrides };
}

interface Seen {
  url: string;
  method: string;
  headers: Headers;
  body: Uint8Array;
}

/** Upstream stand-in: records each request (and its body), answers with `answer`. */
function upstream(answer: () => Response = () => new Response("ok", { status: 201 })): Seen[] {
  const seen: Seen[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push({ url: req.url, method: req.method, headers: req.headers, body: new Uint8Array(await req.arrayBuffer()) });
    return answer();
  });
  return seen;
}

function send(path: string, init: RequestInit = {}, e = vars()) {
  return app.request(`https://chat.example${path}`, init, e);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("upload route: forwarding", () => {
  it("forwards a PUT by path only, with its exact body, the slot's Authorization and no client extras", async () => {
    const seen = upstream();
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const res = await send("/upload/AbC-123/photo%20one.jpg?target=http://evil.test/", {
      method: "PUT",
      body: bytes,
      headers: {
        "content-type": "image/jpeg",
        "content-length": String(bytes.length),
        authorization: "Bearer slot-token",
        cookie: "session=this-host",
        host: "evil.test",
        "x-forwarded-host": "evil.test",
        connection: "keep-alive, x-secret",
        "x-secret": "1",
      },
    });
    expect(res.status).toBe(201);
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req?.url).toBe(`${UPSTREAM}AbC-123/photo%20one.jpg`);
    expect(req?.method).toBe("PUT");
    expect([...(req?.body ?? [])]).toEqual([...bytes]);
    expect(req?.headers.get("authorization")).toBe("Bearer slot-token");
    expect(req?.headers.get("content-type")).toBe("image/jpeg");
    expect(req?.headers.get("cookie")).toBeNull();
    expect(req?.headers.get("x-secret")).toBeNull();
    expect(req?.headers.get("x-forwarded-host")).toBe("chat.example");
  });

  it("passes GET with Range and HEAD, and locks the answer down (sandbox CSP, nosniff, no cookies)", async () => {
    const seen = upstream(
      () =>
        new Response("abc", {
          status: 206,
          headers: {
            "content-type": "image/png",
            "content-range": "bytes 0-2/10",
            "set-cookie": "tracker=1",
            connection: "close",
          },
        }),
    );
    const res = await send("/upload/slot/a.png", { headers: { range: "bytes=0-2", authorization: "Basic x" } });
    expect(res.status).toBe(206);
    expect(await res.text()).toBe("abc");
    expect(seen[0]?.headers.get("range")).toBe("bytes=0-2");
    expect(seen[0]?.headers.get("authorization")).toBeNull();
    expect(res.headers.get("content-range")).toBe("bytes 0-2/10");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("content-security-policy")).toContain("sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toBeNull();
    const head = await send("/upload/slot/a.png", { method: "HEAD" });
    expect(head.status).toBe(206);
    expect(seen[1]?.method).toBe("HEAD");
  });

  it("serves SVG, HTML and unknown types as attachments, keeping the upstream's file name", async () => {
    for (const type of ["image/svg+xml", "text/html", "application/pdf", ""]) {
      upstream(
        () =>
          new Response("<svg onload=alert(1)>", {
            headers: { "content-type": type, "content-disposition": "inline; filename*=UTF-8''x.svg" },
          }),
      );
      const res = await send("/upload/slot/x.svg");
      expect(res.headers.get("content-disposition"), type).toBe("attachment; filename*=UTF-8''x.svg");
      vi.restoreAllMocks();
    }
  });
});

describe("upload route: refusals (nothing reaches the upstream)", () => {
  it("answers other methods with 405 and the allowed ones", async () => {
    const seen = upstream();
    for (const method of ["POST", "DELETE", "PATCH", "OPTIONS"]) {
      const res = await send("/upload/slot/a.jpg", { method, body: method === "OPTIONS" ? null : "x" });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD, PUT");
    }
    expect(seen).toHaveLength(0);
  });

  it("refuses bodies over UPLOAD_MAX_BODY (413), without a length (411) or with a bad one (400)", async () => {
    const seen = upstream();
    const big = await send("/upload/slot/a.bin", {
      method: "PUT",
      body: new Uint8Array(1001),
      headers: { "content-length": "1001" },
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toBe("Payload too large: at most 1000 bytes\n");
    const chunked = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array(10));
        c.close();
      },
    });
    const noLength = await send("/upload/slot/a.bin", { method: "PUT", body: chunked, duplex: "half" } as RequestInit);
    expect(noLength.status).toBe(411);
    expect(seen).toHaveLength(0);
    const exact = await send("/upload/slot/a.bin", {
      method: "PUT",
      body: new Uint8Array(1000),
      headers: { "content-length": "1000" },
    });
    expect(exact.status).toBe(201);
    expect(seen[0]?.body.length).toBe(1000);
  });

  it("refuses traversal, encoded slashes, empty segments and odd characters with 400", async () => {
    const seen = upstream();
    for (const path of [
      "/upload/",
      "/upload",
      "/upload/slot/%2E%2",
      "/upload/a%2fb",
      "/upload/a%5cb",
      "/upload/a//b",
      "/upload/a%00b",
      "/upload/a%zz",
      "/upload/a[b]",
      `/upload/${"a/".repeat(9)}b`,
      `/upload/${"a".repeat(1025)}`,
    ]) {
      const res = await send(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    }
    // The URL parser resolves dot segments, encoded or not (WHATWG URL): these leave /upload/ entirely.
    for (const path of ["/upload/%2e%2e/etc/passwd", "/upload/../../etc/passwd", "/upload/slot/%2E%2E/%2e%2E/x"]) {
      const res = await send(path);
      expect(res.status, path).not.toBe(201);
    }
    expect(seen).toHaveLength(0);
  });

  it("is 404 when UPLOAD_URL is empty, and leaves lookalike paths to the app", async () => {
    const seen = upstream();
    expect((await send("/upload/slot/a.jpg", {}, vars({ UPLOAD_URL: "" }))).status).toBe(404);
    expect((await send("/uploads/x", { method: "PUT", body: "x" })).status).not.toBe(201);
    expect(seen).toHaveLength(0);
  });

  it("answers 502 when the service is unreachable", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    const res = await send("/upload/slot/a.jpg");
    expect(res.status).toBe(502);
    expect(await res.text()).toBe("Bad gateway: the upload service is unreachable\n");
  });

  it("answers 504 when a download's answer does not start in time, aborting the fetch; an upload has no such bound", async () => {
    vi.useFakeTimers();
    try {
      const logged: unknown[] = [];
      vi.spyOn(console, "error").mockImplementation((record) => void logged.push(record));
      let aborted = 0;
      vi.spyOn(globalThis, "fetch").mockImplementation(
        (_input, init) =>
          new Promise<Response>((_resolve, reject) =>
            init?.signal?.addEventListener("abort", () => {
              aborted += 1;
              reject(new DOMException("aborted", "AbortError"));
            }),
          ),
      );
      const pending = send("/upload/slot/a.jpg");
      await vi.advanceTimersByTimeAsync(DOWNLOAD_TIMEOUT_MS + 1);
      const res = await pending;
      expect(res.status).toBe(504);
      expect(await res.text()).toBe("Gateway timeout: the upload service did not answer\n");
      expect(aborted).toBe(1);
      expect(logged).toEqual([{ event: "upload_upstream_timeout", method: "GET", upstream: "upload-upstream.test:5280" }]);

      let settled = false;
      const put = Promise.resolve(
        send("/upload/slot/b.jpg", { method: "PUT", body: "x", headers: { "content-length": "1" } }),
      ).finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(DOWNLOAD_TIMEOUT_MS * 3);
      expect(settled).toBe(false);
      void put.catch(() => {});
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("upload route: ejabberd's slot URLs (mod_http_upload: <sha1 of the JID>/<random>/<file name>)", () => {
  const EJABBERD = "http://xmpp.test:5443/upload/";
  const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
  const RAND = "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5kL7n";
  const ej = vars({ UPLOAD_URL: EJABBERD });

  it("forwards PUT and GET of the three-segment shape (percent-encoded names included) by path only", async () => {
    const seen = upstream();
    const put = await send(
      `/upload/${SHA}/${RAND}/photo_%C3%A9t%C3%A9.jpg?v=hmac`,
      { method: "PUT", body: "xy", headers: { "content-length": "2", "content-type": "image/jpeg" } },
      ej,
    );
    expect(put.status).toBe(201);
    await send(`/upload/${SHA}/${RAND}/photo_%C3%A9t%C3%A9.jpg`, {}, ej);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      `PUT ${EJABBERD}${SHA}/${RAND}/photo_%C3%A9t%C3%A9.jpg`,
      `GET ${EJABBERD}${SHA}/${RAND}/photo_%C3%A9t%C3%A9.jpg`,
    ]);
  });

  it("refuses hostile variants of that shape with clean 4xx, and never leaves the configured base", async () => {
    const seen = upstream();
    for (const [path, init, status] of [
      [`/upload/${SHA}/${RAND}/..%2f..%2fejabberd.yml`, {}, 400],
      [`/upload/${SHA}/${RAND}/a%5c..%5cb`, {}, 400],
      [`/upload/${SHA}//${RAND}/x.jpg`, {}, 400],
      [`/upload/${SHA}/${RAND}/x%00.jpg`, {}, 400],
      [`/upload/${SHA}/${RAND}/x.jpg`, { method: "OPTIONS" }, 405],
      [`/upload/${SHA}/${RAND}/x.jpg`, { method: "DELETE" }, 405],
      [`/upload/${SHA}/${RAND}/x.jpg`, { method: "POST", body: "x" }, 405],
      [`/upload/${SHA}/${RAND}/x.jpg`, { method: "PUT", body: "x", headers: { "content-length": "1000000000000" } }, 413],
    ] as const) {
      const res = await send(path, init as RequestInit, ej);
      expect(res.status, `${(init as RequestInit).method ?? "GET"} ${path}`).toBe(status);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    }
    expect(seen).toHaveLength(0);
    // Dot segments are resolved by the URL parser before routing: what is left is still under the base.
    await send(`/upload/${SHA}/%2e%2e/%2E%2E/${RAND}/x.jpg`, {}, ej);
    await send(`/upload/${SHA}/../x.jpg`, {}, ej);
    expect(
      seen.every((r) => r.url.startsWith(EJABBERD)),
      seen.map((r) => r.url).join(" "),
    ).toBe(true);
  });
});

describe("UPLOAD_URL and UPLOAD_MAX_BODY validation", () => {
  it("accepts an http(s) base URL ending in / and refuses anything else by name", () => {
    expect(parseConfig({ UPLOAD_URL: "https://files.example:5281/file_share/" }).uploadUrl?.href).toBe(
      "https://files.example:5281/file_share/",
    );
    expect(parseConfig({ UPLOAD_URL: "" }).uploadUrl).toBeNull();
    for (const bad of ["ftp://x/", "http://x/share", "http://u:p@x/", "http://x/?a=1", "http://x/#f", "not a url"]) {
      expect(() => parseConfig({ UPLOAD_URL: bad }), bad).toThrow(/UPLOAD_URL/);
    }
    expect(() => parseConfig({ UPLOAD_MAX_BODY: "0" })).toThrow(/UPLOAD_MAX_BODY/);
    expect(() => parseConfig({ UPLOAD_MAX_BODY: "10MB" })).toThrow(/UPLOAD_MAX_BODY/);
  });

  it("a bad UPLOAD_URL answers every request with a 500 naming it", async () => {
    const res = await send("/healthz", {}, vars({ UPLOAD_URL: "ftp://x/" }));
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("UPLOAD_URL");
  });
});
