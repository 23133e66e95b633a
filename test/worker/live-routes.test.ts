// The /live/<app>/<stream>.flv route: which paths it claims, its refusals, and what each mode answers.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../../worker/index";
import { parseLivePath } from "../../worker/live/names";

const get = (path: string, vars: Record<string, string> = {}, init: RequestInit = {}) =>
  Promise.resolve(app.request(`http://porthole.test${path}`, init, { ...env, ...vars }));
const GATEWAY = { RTMPT_ORIGINS: "rtmp://127.0.0.1:1" }; // port 1: nothing listens
const PROXY = { RTMPT_ORIGINS: "http://127.0.0.1:1" };

describe("live route", () => {
  it("validates app and stream names", () => {
    expect(parseLivePath("/live/live/cam_1-A.flv")).toEqual({ ok: true, app: "live", stream: "cam_1-A" });
    for (const bad of [
      "/live/live/a.b.flv",
      "/live/li%2Fve/a.flv",
      "/live//a.flv",
      "/live/a/b/c.flv",
      `/live/a/${"x".repeat(65)}.flv`,
    ]) {
      expect(parseLivePath(bad).ok, bad).toBe(false);
    }
  });

  it("404 when RTMPT is off or in proxy mode (no rtmp:// origin to play from)", async () => {
    const off = await get("/live/live/cam.flv", { RTMPT_ORIGINS: "" });
    expect(off.status).toBe(404);
    expect(await off.text()).toBe("Live playback is not enabled on this host\n");
    const proxy = await get("/live/live/cam.flv", PROXY);
    expect(proxy.status).toBe(404);
    expect(await proxy.text()).toMatch(/needs rtmp:\/\/ origins/);
  });

  it("400 for bad names, 405 for other methods, 500 for a bad LIVE_VIEWERS_PER_CLIENT", async () => {
    const bad = await get("/live/live/a.b.flv", GATEWAY);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await bad.text()).toBe("Bad stream name: 1-64 letters, digits, _ or -\n");
    expect((await get("/live/a/b/c.flv", GATEWAY)).status).toBe(400);
    const post = await get("/live/live/cam.flv", GATEWAY, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
    // Hono routes HEAD to GET handlers: a HEAD must not start playing.
    const head = await get("/live/live/cam.flv", GATEWAY, { method: "HEAD" });
    expect(head.status).toBe(405);
    expect((await get("/live/.flv", GATEWAY)).status).toBe(400);
    expect((await get("/live/live/cam.flv", { ...GATEWAY, LIVE_VIEWERS_PER_CLIENT: "many" })).status).toBe(500);
    expect((await get("/live/live/cam.flv", { ...GATEWAY, LIVE_VIEWERS_PER_CLIENT: "0" })).status).toBe(500);
    // 1 is a valid limit: the request goes on to the (dead) origin.
    expect((await get("/live/live/cam.flv", { ...GATEWAY, LIVE_VIEWERS_PER_CLIENT: "1" })).status).toBe(502);
  });

  it("says whether a stream can be played here (/live/<app>/<stream>.json), 200 in every mode", async () => {
    const status = async (path: string, vars: Record<string, string>, init: RequestInit = {}) => {
      const res = await get(path, vars, init);
      return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
    };
    expect(await status("/live/live/cam.json", GATEWAY)).toEqual({
      status: 200,
      type: "application/json",
      body: '{"playable":true}',
    });
    expect(JSON.parse((await status("/live/live/cam.json", { RTMPT_ORIGINS: "" })).body)).toEqual({
      playable: false,
      reason: "Live playback is not enabled on this host.",
    });
    expect(JSON.parse((await status("/live/live/cam.json", PROXY)).body)).toMatchObject({ playable: false });
    expect((await status("/live/live/a.b.json", GATEWAY)).status).toBe(400);
    expect((await status("/live/a/b/c.json", GATEWAY)).status).toBe(400);
    expect((await status("/live/live/cam.json", GATEWAY, { method: "POST" })).status).toBe(405);
  });

  it("names the stream's chat room from LIVE_CHAT_ROOM ({app}, {stream}; lowercased); a bad template is a 500", async () => {
    const room = async (template: string, path = "/live/live/Cam_1.json") => {
      const res = await get(path, { ...GATEWAY, LIVE_CHAT_ROOM: template });
      return { status: res.status, body: await res.text() };
    };
    expect(JSON.parse((await room("{stream}@conference.Example.org")).body)).toEqual({
      playable: true,
      room: "cam_1@conference.example.org",
    });
    expect(JSON.parse((await room("{app}-{stream}@muc.example.org")).body).room).toBe("live-cam_1@muc.example.org");
    expect(JSON.parse((await room("webcast@muc.example.org")).body).room).toBe("webcast@muc.example.org");
    expect(JSON.parse((await room("")).body)).toEqual({ playable: true });
    for (const bad of ["{stream}", "{stream}@muc.example.org/nick", "a b@muc.example.org", "{stream}@@x"]) {
      const res = await room(bad);
      expect(res.status, bad).toBe(500);
      expect(res.body).toMatch(/^Porthole is misconfigured: LIVE_CHAT_ROOM /);
    }
  });

  it("502 when no origin accepts (HTTP-FLV and WebSocket), without hanging", async () => {
    const res = await get("/live/live/cam.flv", GATEWAY);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe("Stream origin unavailable\n");
    const ws = await get("/live/live/cam.flv", GATEWAY, { headers: { Upgrade: "websocket" } });
    expect(ws.status).toBe(502);
  });

  it("leaves other /live paths to the PWA", async () => {
    for (const path of ["/live/live/cam", "/live/live/cam.flv/x", "/livestream.flv", "/live.flv", "/watch/live/cam"]) {
      const res = await get(path, GATEWAY, { headers: { accept: "text/html" } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type") ?? "", path).toMatch(/text\/html/);
    }
  });
});
