// The PWA's push endpoints (worker/routes/push.ts) through the whole worker, in workerd: push off by
// default; with push configured, key discovery, registration and its refusals, change and removal.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import app from "../../worker/index";
import { newSubscription, newVapidKeys } from "./push-support";

let vars: Record<string, unknown>;
let publicKey = "";

beforeAll(async () => {
  const pair = await newVapidKeys();
  publicKey = pair.publicKey;
  vars = {
    ...env,
    PUSH_COMPONENT_JID: "push.example.org",
    PUSH_COMPONENT_ADDRESS: "tcp://127.0.0.1:1",
    PUSH_COMPONENT_SECRET: "component-secret",
    VAPID_PUBLIC_KEY: pair.publicKey,
    VAPID_PRIVATE_KEY: pair.privateKey,
  };
});

const call = (path: string, init: RequestInit = {}, e = vars) => app.request(`https://chat.example.org${path}`, init, e);
const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("push endpoints", () => {
  it("are 404 while push is off (the default wrangler.toml)", async () => {
    const res = await SELF.fetch("https://chat.example.org/push/vapid-public-key");
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("Push notifications are off on this site\n");
  });

  it("a bad push variable is a 500 naming it, without the secret", async () => {
    const res = await call(
      "/push/vapid-public-key",
      {},
      { ...vars, VAPID_PRIVATE_KEY: "c2VjcmV0LXZhbHVlLXRoYXQtaXMtbm90LWEta2V5" },
    );
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toMatch(/VAPID_PRIVATE_KEY: the private key/);
    expect(text).not.toContain("c2VjcmV0");
    const addr = await call("/push/vapid-public-key", {}, { ...vars, PUSH_COMPONENT_ADDRESS: "127.0.0.1:5347" });
    expect(await addr.text()).toMatch(/^Porthole is misconfigured: PUSH_COMPONENT_ADDRESS: "127.0.0.1:5347" is not tcp/);
  });

  it("serves the VAPID public key and the component address", async () => {
    const res = await call("/push/vapid-public-key");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ key: publicKey, jid: "push.example.org" });
    expect((await call("/push/vapid-public-key", { method: "POST" })).status).toBe(405);
  });

  it("registers a device (201 with node and secret); only its secret changes or removes it", async () => {
    const sub = (await newSubscription()).json("https://fcm.googleapis.com/fcm/send/device-1");
    const res = await call("/push/devices", json({ subscription: sub }));
    expect(res.status).toBe(201);
    const made = (await res.json()) as { jid: string; node: string; secret: string };
    expect(made.jid).toBe("push.example.org");
    expect(made.node).toMatch(/^[\w-]{22}$/);
    expect(made.secret).toMatch(/^[\w-]{22}$/);
    const other = (await (await call("/push/devices", json({ subscription: sub }))).json()) as { node: string; secret: string };
    expect(other.node).not.toBe(made.node);

    const put = (node: string, secret: string | null) =>
      call(`/push/devices/${node}`, {
        ...json({ subscription: sub, showBody: true }),
        method: "PUT",
        headers: { "content-type": "application/json", ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
      });
    expect((await put(made.node, made.secret)).status).toBe(204);
    expect((await put(made.node, other.secret)).status).toBe(403); // another device's secret
    expect((await put(made.node, null)).status).toBe(401);
    const del = (node: string, secret: string) =>
      call(`/push/devices/${node}`, { method: "DELETE", headers: { authorization: `Bearer ${secret}` } });
    expect((await del(made.node, other.secret)).status).toBe(403);
    expect((await del(made.node, made.secret)).status).toBe(204);
    expect((await del(made.node, made.secret)).status).toBe(404);
    expect((await del("not-a-node", made.secret)).status).toBe(404);
    expect((await call(`/push/devices/${other.node}`, { method: "GET" })).status).toBe(405);
  });

  it("refuses bad registrations with a clear 4xx", async () => {
    const sub = (await newSubscription()).json("https://attacker.example/collect");
    const relay = await call("/push/devices", json({ subscription: sub }));
    expect(relay.status).toBe(400);
    expect(await relay.text()).toBe("Bad registration: subscription.endpoint is not a known push service\n");
    expect((await call("/push/devices", { method: "POST", body: "{}" })).status).toBe(415);
    expect((await call("/push/devices", { ...json(null), body: "{not json" })).status).toBe(400);
    expect((await call("/push/devices", { ...json(null), body: "x".repeat(5000) })).status).toBe(413);
    expect((await call("/push/devices", { method: "GET" })).status).toBe(405);
    expect((await call("/push/elsewhere")).status).toBe(404);
  });
});
