/**
 * The PWA's side of push notifications (README, "Push notifications"):
 * - `GET /push/vapid-public-key`: `{ key, jid }`, the VAPID public key (RFC 8292 §3.2, the Push API's
 *   applicationServerKey) and the component address the PWA names in its XEP-0357 <enable/>;
 * - `POST /push/devices`: registers a Push API subscription (JSON, at most 4 KiB, endpoint on an allowed
 *   push service), answers `201 { jid, node, secret }`; counted by the per-client session limit;
 * - `PUT /push/devices/<node>` (a changed subscription) and `DELETE /push/devices/<node>`, with
 *   `Authorization: Bearer <secret>`: only the device holding the secret can change or remove its node.
 * Push off (`PUSH_COMPONENT_JID` empty): 404. Every refusal is a short plain-text answer.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app";
import { readCapped } from "../http/body";
import { PLAIN_TEXT } from "../http/headers";
import { limitNewSession } from "../http/rate-limit";
import { getPushConfig, type PushConfig, type PushEnv } from "../push/config";
import { isNodeName } from "../push/devices";
import type { PushHub } from "../push/push-hub";
import { MAX_REGISTRATION_BYTES, parseRegistration, type Registration } from "../push/subscription";

export const push = new Hono<AppEnv>();

const JSON_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store" } as const;

type C = Context<AppEnv>;

function text(c: C, status: 400 | 401 | 403 | 404 | 405 | 413 | 415 | 500, message: string): Response {
  return c.text(`${message}\n`, status, PLAIN_TEXT);
}

async function configOr(c: C): Promise<PushConfig | Response> {
  const config = await getPushConfig(c.env as unknown as PushEnv);
  if (config === null) return text(c, 404, "Push notifications are off on this site");
  if (config instanceof Error) return text(c, 500, `Porthole is misconfigured: ${config.message}`);
  return config;
}

function hub(c: C): DurableObjectStub<PushHub> {
  const ns = c.env.PUSH_HUB;
  return ns.get(ns.idFromName("push-hub"));
}

async function registration(c: C, config: PushConfig): Promise<Registration | Response> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") return text(c, 415, "Send the subscription as application/json");
  const raw = await readCapped(c.req.raw.body, MAX_REGISTRATION_BYTES);
  if (raw === null) return text(c, 413, `Registration larger than ${MAX_REGISTRATION_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return text(c, 400, "Registration is not JSON");
  }
  const reg = parseRegistration(body, config.services);
  return typeof reg === "string" ? text(c, 400, `Bad registration: ${reg}`) : reg;
}

function bearer(c: C): string | null {
  const m = /^Bearer ([A-Za-z0-9_-]{1,64})$/.exec(c.req.header("authorization") ?? "");
  return m?.[1] ?? null;
}

push.get("/push/vapid-public-key", async (c) => {
  const config = await configOr(c);
  if (config instanceof Response) return config;
  return c.body(JSON.stringify({ key: config.vapid.publicKeyText, jid: config.componentJid }), 200, JSON_HEADERS);
});

push.post("/push/devices", async (c) => {
  const config = await configOr(c);
  if (config instanceof Response) return config;
  const reg = await registration(c, config);
  if (reg instanceof Response) return reg;
  const limited = await limitNewSession(c.env.SESSION_LIMITER, "push-register", c.req.raw);
  if (limited) return limited;
  const made = await hub(c).register(reg);
  return c.body(JSON.stringify({ jid: config.componentJid, ...made }), 201, JSON_HEADERS);
});

async function change(c: C, run: (node: string, secret: string) => Promise<string>): Promise<Response> {
  const node = c.req.param("node") ?? "";
  if (!isNodeName(node)) return text(c, 404, "No such device");
  const secret = bearer(c);
  if (!secret) return text(c, 401, "Send the device's secret as Authorization: Bearer <secret>");
  const outcome = await run(node, secret);
  if (outcome === "unknown") return text(c, 404, "No such device");
  if (outcome === "forbidden") return text(c, 403, "Wrong secret for this device");
  return c.body(null, 204, { "Cache-Control": "no-store" });
}

push.put("/push/devices/:node", async (c) => {
  const config = await configOr(c);
  if (config instanceof Response) return config;
  const reg = await registration(c, config);
  if (reg instanceof Response) return reg;
  return change(c, (node, secret) => hub(c).update(node, secret, reg));
});

push.delete("/push/devices/:node", async (c) => {
  const config = await configOr(c);
  if (config instanceof Response) return config;
  return change(c, (node, secret) => hub(c).remove(node, secret));
});

push.all("/push/vapid-public-key", (c) => text(c, 405, "Use GET"));
push.all("/push/devices", (c) => text(c, 405, "Use POST"));
push.all("/push/devices/:node", (c) => text(c, 405, "Use PUT or DELETE"));
push.all("/push/*", (c) => text(c, 404, "Not found"));
