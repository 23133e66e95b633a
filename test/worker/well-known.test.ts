// XEP-0156 host-meta documents (worker/routes/well-known.ts) through the worker, in workerd.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../../worker/index";

const REL = "urn:xmpp:alt-connections:websocket";

async function jsonLinks(url: string, init: RequestInit = {}, e?: Record<string, unknown>) {
  const res = e ? await app.request(url, init, e) : await SELF.fetch(url, init);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(res.headers.get("access-control-allow-origin")).toBe("*");
  return ((await res.json()) as { links: Array<{ rel: string; href: string }> }).links;
}

describe("XEP-0156 discovery", () => {
  it("host-meta (XRD) links wss://<this host>/xmpp-websocket, readable cross-origin", async () => {
    const res = await SELF.fetch("https://chat.example.com/.well-known/host-meta", {
      headers: { origin: "https://elsewhere.example" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xrd+xml; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const xml = await res.text();
    expect(xml).toContain('<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">');
    expect(xml).toContain(`<Link rel="${REL}" href="wss://chat.example.com/xmpp-websocket"/>`);
  });

  it("host-meta.json (JRD) carries the same link", async () => {
    expect(await jsonLinks("https://chat.example.com/.well-known/host-meta.json")).toEqual([
      { rel: REL, href: "wss://chat.example.com/xmpp-websocket" },
    ]);
  });

  it("uses ws:// only for plain http on a loopback host, keeping the port", async () => {
    expect((await jsonLinks("http://127.0.0.1:8787/.well-known/host-meta.json"))[0]?.href).toBe(
      "ws://127.0.0.1:8787/xmpp-websocket",
    );
    expect((await jsonLinks("http://localhost:8787/.well-known/host-meta.json"))[0]?.href).toBe(
      "ws://localhost:8787/xmpp-websocket",
    );
    expect((await jsonLinks("http://chat.example.com/.well-known/host-meta.json"))[0]?.href).toBe(
      "wss://chat.example.com/xmpp-websocket",
    );
    expect((await jsonLinks("https://localhost/.well-known/host-meta.json"))[0]?.href).toBe("wss://localhost/xmpp-websocket");
    expect((await jsonLinks("http://127.evil.example/.well-known/host-meta.json"))[0]?.href).toBe(
      "wss://127.evil.example/xmpp-websocket",
    );
  });

  it("follows XMPP_WEBSOCKET_PATH", async () => {
    const links = await jsonLinks(
      "https://chat.example.com/.well-known/host-meta.json",
      {},
      { ...env, XMPP_WEBSOCKET_PATH: "/chat/ws" },
    );
    expect(links[0]?.href).toBe("wss://chat.example.com/chat/ws");
  });

  it("answers CORS preflight, HEAD without a body, 405 for writes", async () => {
    const pre = await SELF.fetch("https://chat.example.com/.well-known/host-meta.json", {
      method: "OPTIONS",
      headers: { origin: "https://elsewhere.example", "access-control-request-method": "GET" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")?.split(/\s*,\s*/)).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(pre.headers.get("access-control-allow-headers")).toBe("Accept");
    expect(pre.headers.get("access-control-max-age")).toBe("86400");
    expect(pre.headers.get("x-content-type-options")).toBe("nosniff");
    const head = await SELF.fetch("https://chat.example.com/.well-known/host-meta", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await SELF.fetch("https://chat.example.com/.well-known/host-meta", { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(post.headers.get("access-control-allow-origin")).toBe("*");
    expect(post.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(await post.text()).toBe("Method not allowed\n");
    // Other files under /.well-known/ are the assets' (a plain 404 when missing), not these documents.
    const other = await SELF.fetch("https://chat.example.com/.well-known/host-meta.xml");
    expect(other.status).toBe(404);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("is a 404 when the XMPP edge is off", async () => {
    const res = await app.request("https://chat.example.com/.well-known/host-meta", {}, { ...env, XMPP_WEBSOCKET_URL: "" });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("XMPP is not enabled on this host\n");
  });
});
