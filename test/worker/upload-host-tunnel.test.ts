// ejabberd's mod_http_upload behind the worker through a Host-name tunnel (README, File upload:
// ejabberd): the slot URLs name this host (put_url https://chat.example.com/upload), UPLOAD_URL names
// the tunnel (another host name), and the tunnel sends ejabberd `Host: chat.example.com` (cloudflared
// `originRequest.httpHostHeader`, nginx `proxy_set_header Host`). ejabberd finds the upload service by
// the request's host name without the port and put_url's path (parse_http_request in
// mod_http_upload.erl), so the stand-in below answers 404 to any other Host, as ejabberd does. What the
// worker must do for that chain: send every request to the tunnel's URL by path only, with the tunnel's
// host name (never the client's Host or this host's), name this host in the forwarding headers, and pass
// ejabberd's answers, its 404 included, back cleanly. Real ejabberd on one host name:
// test/e2e/pwa-files-ejabberd.test.ts.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../worker/index";

const PUBLIC = "chat.example.com";
const TUNNEL = "http://ejabberd-tunnel.internal:8443/upload/";
const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
const RAND = "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5kL7n";
const SLOT = `/upload/${SHA}/${RAND}/photo.jpg`;

interface Hop {
  url: string;
  host: string;
  forwardedHost: string | null;
}

/**
 * The tunnel (Host rewritten to `hostHeader`, or kept when null) in front of an ejabberd whose put_url
 * host is PUBLIC: PUT stores, GET serves, anything under another Host is 404.
 */
function tunnelToEjabberd(hostHeader: string | null) {
  const hops: Hop[] = [];
  const stored = new Map<string, Uint8Array<ArrayBuffer>>();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    // workerd derives Host from the URL it fetches; the tunnel receives that one.
    const arrived = url.host;
    hops.push({ url: req.url, host: arrived, forwardedHost: req.headers.get("x-forwarded-host") });
    const host = (hostHeader ?? arrived).replace(/:\d+$/, "");
    if (host !== PUBLIC || !url.pathname.startsWith("/upload/")) return new Response("Not Found", { status: 404 });
    if (req.method === "PUT") {
      stored.set(url.pathname, new Uint8Array(await req.arrayBuffer()));
      return new Response(null, { status: 201 });
    }
    const body = stored.get(url.pathname);
    if (!body) return new Response("Not Found", { status: 404 });
    return new Response(req.method === "HEAD" ? null : body, {
      status: 200,
      headers: { "content-type": "image/jpeg", "content-length": String(body.length) },
    });
  });
  return { hops, stored };
}

const send = (path: string, init: RequestInit = {}) =>
  app.request(`https://${PUBLIC}${path}`, init, { ...env, UPLOAD_URL: TUNNEL, UPLOAD_MAX_BODY: "1000" });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("upload through a Host-name tunnel to ejabberd", () => {
  it("stores and serves a slot's file: the tunnel's URL by path, this host named as the forwarded host", async () => {
    const { hops, stored } = tunnelToEjabberd(PUBLIC);
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 7, 8, 9]);
    const put = await send(SLOT, {
      method: "PUT",
      body: bytes,
      headers: { "content-type": "image/jpeg", "content-length": String(bytes.length), host: "evil.test" },
    });
    expect(put.status).toBe(201);
    expect([...(stored.get(`/upload/${SHA}/${RAND}/photo.jpg`) ?? [])]).toEqual([...bytes]);
    const got = await send(SLOT);
    expect(got.status).toBe(200);
    expect([...new Uint8Array(await got.arrayBuffer())]).toEqual([...bytes]);
    expect(got.headers.get("content-security-policy")).toContain("sandbox");
    expect(hops).toEqual([
      { url: `${TUNNEL}${SHA}/${RAND}/photo.jpg`, host: "ejabberd-tunnel.internal:8443", forwardedHost: PUBLIC },
      { url: `${TUNNEL}${SHA}/${RAND}/photo.jpg`, host: "ejabberd-tunnel.internal:8443", forwardedHost: PUBLIC },
    ]);
  });

  it("without the tunnel's Host rewrite ejabberd knows no such service: its 404 reaches the client, locked down", async () => {
    const { hops } = tunnelToEjabberd(null);
    const put = await send(SLOT, { method: "PUT", body: "xy", headers: { "content-length": "2" } });
    expect(put.status).toBe(404);
    const got = await send(SLOT);
    expect(got.status).toBe(404);
    expect(got.headers.get("content-security-policy")).toContain("sandbox");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(hops.map((h) => h.host)).toEqual(["ejabberd-tunnel.internal:8443", "ejabberd-tunnel.internal:8443"]);
  });
});
