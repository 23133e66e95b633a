// What the push end-to-end tests share: a VAPID key pair made with Node's crypto, and a device as
// the PWA makes one (a push service subscription registered with the worker, then the XEP-0357
// <enable/> sent to the user's own server with the node and secret the worker answered).
import { generateKeyPairSync } from "node:crypto";
import { xml } from "@xmpp/client";
import { expect } from "vitest";
import type { PushService } from "../support/push-service";
import type { XmppUser } from "../support/xmpp-user";

export function vapidKeys(): { publicKey: string; privateKey: string } {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? "", "base64url"), Buffer.from(jwk.y ?? "", "base64url")]);
  return { publicKey: point.toString("base64url"), privateKey: jwk.d ?? "" };
}

export interface Registered {
  sub: ReturnType<PushService["subscribe"]>;
  reg: { jid: string; node: string; secret: string };
}

/** A new subscription at `push`, registered with the worker (201). */
export async function registerDevice(workerUrl: string, push: PushService): Promise<Registered> {
  const sub = push.subscribe();
  const res = await fetch(`${workerUrl}/push/devices`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ subscription: { endpoint: sub.endpoint, keys: sub.keys } }),
  });
  expect(res.status).toBe(201);
  return { sub, reg: (await res.json()) as Registered["reg"] };
}

/** Sends XEP-0357 <enable/> for the registration (with `secret` instead of its own, to test refusals). */
export async function enableOnServer(user: XmppUser, reg: Registered["reg"], secret = reg.secret): Promise<void> {
  const form = xml(
    "x",
    { xmlns: "jabber:x:data", type: "submit" },
    xml("field", { var: "FORM_TYPE" }, xml("value", {}, "http://jabber.org/protocol/pubsub#publish-options")),
    xml("field", { var: "secret" }, xml("value", {}, secret)),
  );
  const enable = xml("enable", { xmlns: "urn:xmpp:push:0", jid: reg.jid, node: reg.node }, form);
  await user.client.iqCaller.request(xml("iq", { type: "set" }, enable), 10_000);
}
