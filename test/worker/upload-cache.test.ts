// Downloads of uploaded files cached at the edge (worker/upload/edge-cache.ts), in workerd with its
// real Cache API (caches.default): what the upstream allows is stored once and served again without
// reaching it (whole, ranged, HEAD); no-store / private / errors / partial answers / PUTs never are.
// The upstream is a `fetch` stand-in that counts what reached it. Each test uses its own file path.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../worker/index";
import { EDGE_CACHE_MAX_BYTES, storable } from "../../worker/upload/edge-cache";

const UPSTREAM = "http://upload-upstream.test:5280/file_share/";
const BYTES = "0123456789abcdef";

/** Upstream stand-in: answers `answer()` and records the method and Range of each request. */
function upstream(answer: () => Response): string[] {
  const seen: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push(`${req.method} ${new URL(req.url).pathname}${req.headers.has("range") ? ` ${req.headers.get("range")}` : ""}`);
    return answer();
  });
  return seen;
}

const file =
  (cacheControl: string | null, status = 200) =>
  () =>
    new Response(status === 200 ? BYTES : "Not found\n", {
      status,
      headers: {
        "content-type": "image/png",
        ...(status === 200 ? { "content-length": String(BYTES.length) } : {}),
        ...(cacheControl ? { "cache-control": cacheControl } : {}),
      },
    });

/** One request through the app with an execution context, waiting for its after-response work (the cache write). */
async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.request(`https://chat.example${path}`, init, { ...env, UPLOAD_URL: UPSTREAM }, ctx);
  const body = res.body ? new Uint8Array(await res.arrayBuffer()) : null;
  await waitOnExecutionContext(ctx);
  return new Response(body, { status: res.status, headers: res.headers });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("upload downloads: edge cache", () => {
  it("serves a second GET of a max-age file from the cache, locked down as the first", async () => {
    const seen = upstream(file("max-age=31556952, immutable"));
    const first = await send("/upload/slot-a/pic.png");
    const second = await send("/upload/slot-a/pic.png");
    expect([first.status, await first.text()]).toEqual([200, BYTES]);
    expect([second.status, await second.text()]).toEqual([200, BYTES]);
    expect(second.headers.get("content-security-policy")).toContain("sandbox");
    expect(second.headers.get("x-content-type-options")).toBe("nosniff");
    expect(seen).toEqual(["GET /file_share/slot-a/pic.png"]);
  });

  it("serves Range and HEAD from the cached full body, and a query does not make another entry", async () => {
    const seen = upstream(file("public, max-age=600"));
    await send("/upload/slot-b/pic.png");
    const part = await send("/upload/slot-b/pic.png", { headers: { range: "bytes=2-5" } });
    expect([part.status, await part.text(), part.headers.get("content-range")]).toEqual([206, "2345", "bytes 2-5/16"]);
    const head = await send("/upload/slot-b/pic.png", { method: "HEAD" });
    expect([head.status, head.headers.get("content-type"), await head.text()]).toEqual([200, "image/png", ""]);
    const withQuery = await send("/upload/slot-b/pic.png?x=1");
    expect(await withQuery.text()).toBe(BYTES);
    expect(seen).toEqual(["GET /file_share/slot-b/pic.png"]);
  });

  it("passes a Range miss through without storing it, and conditional requests to the upstream", async () => {
    const seen = upstream(file("max-age=600"));
    await send("/upload/slot-c/pic.png", { headers: { range: "bytes=0-1" } });
    await send("/upload/slot-c/pic.png");
    await send("/upload/slot-c/pic.png", { headers: { "if-none-match": '"v1"' } });
    expect(seen).toEqual([
      "GET /file_share/slot-c/pic.png bytes=0-1",
      "GET /file_share/slot-c/pic.png",
      "GET /file_share/slot-c/pic.png",
    ]);
  });

  it("never stores no-store, private, no Cache-Control, errors or PUT answers", async () => {
    for (const [name, answer] of [
      ["no-store", file("no-store, max-age=600")],
      ["private", file("private, max-age=600")],
      ["none", file(null)],
      ["error", file("max-age=600", 404)],
    ] as const) {
      vi.restoreAllMocks();
      const seen = upstream(answer);
      await send(`/upload/slot-d/${name}.png`);
      await send(`/upload/slot-d/${name}.png`);
      expect(seen, name).toHaveLength(2);
    }
    vi.restoreAllMocks();
    const seen = upstream(() => new Response("created", { status: 201, headers: { "cache-control": "max-age=600" } }));
    await send("/upload/slot-e/new.png", { method: "PUT", body: "xy", headers: { "content-length": "2" } });
    await send("/upload/slot-e/new.png");
    expect(seen).toEqual(["PUT /file_share/slot-e/new.png", "GET /file_share/slot-e/new.png"]);
  });

  it("decides storability by status and Cache-Control (RFC 9111 §5.2.2)", () => {
    const h = (cc: string, extra: Record<string, string> = {}) =>
      new Headers({ "cache-control": cc, "content-length": "16", ...extra });
    expect(storable(200, h("max-age=60"))).toBe(true);
    expect(storable(200, h("public"))).toBe(true);
    expect(storable(200, h("s-maxage=5, must-revalidate"))).toBe(true);
    expect(storable(200, h("max-age=0"))).toBe(false);
    expect(storable(200, h("no-cache, max-age=60"))).toBe(false);
    expect(storable(200, h("max-age=60, no-store"))).toBe(false);
    expect(storable(200, h('private="set-cookie", max-age=60'))).toBe(false);
    expect(storable(200, h("max-age=60", { vary: "accept, *" }))).toBe(false);
    expect(storable(200, h("max-age=60", { "content-range": "bytes 0-1/2" }))).toBe(false);
    expect(storable(206, h("max-age=60"))).toBe(false);
    // Teed bodies are bounded: no length, or one over the cap, is never stored.
    expect(storable(200, h("max-age=60", { "content-length": String(EDGE_CACHE_MAX_BYTES) }))).toBe(true);
    expect(storable(200, h("max-age=60", { "content-length": String(EDGE_CACHE_MAX_BYTES + 1) }))).toBe(false);
    const unknown = h("max-age=60");
    unknown.delete("content-length");
    expect(storable(200, unknown)).toBe(false);
    expect(storable(304, h("max-age=60"))).toBe(false);
  });
});
