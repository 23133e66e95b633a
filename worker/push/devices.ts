/**
 * The registered devices, in the push hub's Durable Object storage: one record per XEP-0357 node.
 * A node and its secret are 128 random bits each, made here (so a node can be neither chosen nor
 * guessed by another account); the secret is the `secret` publish option the XMPP server echoes in
 * every publish (XEP-0357 §5), and the bearer credential for changing or removing the device. Only
 * its SHA-256 is stored.
 */
import { toBase64Url } from "./base64url";
import type { Registration, Subscription } from "./subscription";

export interface Device {
  subscription: Subscription;
  showBody: boolean;
  secretHash: string;
  created: number;
}

const PREFIX = "device:";

export function randomToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export async function hashSecret(secret: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret))));
}

/** Node names this module makes: 22 base64url characters. Anything else is unknown without a lookup. */
export function isNodeName(node: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(node);
}

export type Access = { ok: true; device: Device } | { ok: false; why: "unknown" | "forbidden" };

export class DeviceStore {
  constructor(private readonly storage: DurableObjectStorage) {}

  async add(reg: Registration): Promise<{ node: string; secret: string }> {
    const node = randomToken();
    const secret = randomToken();
    const device: Device = { ...reg, secretHash: await hashSecret(secret), created: Date.now() };
    await this.storage.put(PREFIX + node, device);
    return { node, secret };
  }

  /** The device, when `secret` is its secret. */
  async access(node: string, secret: string): Promise<Access> {
    const device = isNodeName(node) ? await this.storage.get<Device>(PREFIX + node) : undefined;
    if (!device) return { ok: false, why: "unknown" };
    if ((await hashSecret(secret)) !== device.secretHash) return { ok: false, why: "forbidden" };
    return { ok: true, device };
  }

  async replace(node: string, device: Device, reg: Registration): Promise<void> {
    await this.storage.put(PREFIX + node, { ...device, ...reg });
  }

  async remove(node: string): Promise<void> {
    await this.storage.delete(PREFIX + node);
  }

  async any(): Promise<boolean> {
    return (await this.storage.list({ prefix: PREFIX, limit: 1 })).size > 0;
  }

  async count(): Promise<number> {
    return (await this.storage.list({ prefix: PREFIX })).size;
  }
}
