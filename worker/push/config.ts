/**
 * Push configuration from the worker's vars and secrets (README, "Push notifications"), parsed and
 * validated once per set of values. Push is off while `PUSH_COMPONENT_JID` is empty; when it is set,
 * every other value must be usable, or each push request answers 500 naming the variable.
 * The secrets (`PUSH_COMPONENT_SECRET`, `VAPID_PRIVATE_KEY`) never appear in a message or a log.
 */
import { ConfigError } from "../env";
import { logEvent } from "../shared/log";
import { DEFAULT_PUSH_SERVICES, type PushService, parsePushServices } from "./push-services";
import { importVapidKeys, type VapidKeys } from "./vapid";

/** The vars and secrets push reads (secrets are not in wrangler.toml, so not in the generated Env). */
export interface PushEnv {
  PUSH_COMPONENT_JID?: string;
  PUSH_COMPONENT_ADDRESS?: string;
  PUSH_COMPONENT_SECRET?: string;
  VAPID_PUBLIC_KEY?: string;
  VAPID_PRIVATE_KEY?: string;
  VAPID_SUBJECT?: string;
  PUSH_SERVICES?: string;
}

export interface PushConfig {
  /** The component's address, e.g. push.example.org: the `jid` of the PWA's <enable/>. */
  componentJid: string;
  host: string;
  port: number;
  tls: boolean;
  componentSecret: string;
  vapid: VapidKeys;
  subject: string;
  services: PushService[];
}

function parseAddress(raw: string): { host: string; port: number; tls: boolean } {
  const m = /^(tcp|tls):\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(raw.trim());
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) {
    throw new ConfigError("PUSH_COMPONENT_ADDRESS", `"${raw}" is not tcp://host:port or tls://host:port`);
  }
  return { host: (m[2] ?? "").replace(/^\[|\]$/g, ""), port, tls: m[1] === "tls" };
}

async function parse(env: PushEnv): Promise<PushConfig | null> {
  const componentJid = (env.PUSH_COMPONENT_JID ?? "").trim().toLowerCase();
  if (!componentJid) return null;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$|^[a-z0-9-]+$/.test(componentJid)) {
    throw new ConfigError("PUSH_COMPONENT_JID", `"${componentJid}" is not a domain such as push.example.org`);
  }
  const address = parseAddress(env.PUSH_COMPONENT_ADDRESS ?? "");
  const componentSecret = (env.PUSH_COMPONENT_SECRET ?? "").trim();
  if (!componentSecret) throw new ConfigError("PUSH_COMPONENT_SECRET", "is not set (wrangler secret put PUSH_COMPONENT_SECRET)");
  if (!(env.VAPID_PRIVATE_KEY ?? "").trim()) {
    throw new ConfigError("VAPID_PRIVATE_KEY", "is not set (wrangler secret put VAPID_PRIVATE_KEY)");
  }
  let vapid: VapidKeys;
  try {
    vapid = await importVapidKeys(env.VAPID_PUBLIC_KEY ?? "", env.VAPID_PRIVATE_KEY ?? "");
  } catch (err) {
    const message = err instanceof Error ? err.message : "unusable key pair";
    throw new ConfigError(message.startsWith("the public key") ? "VAPID_PUBLIC_KEY" : "VAPID_PRIVATE_KEY", message);
  }
  const parent = componentJid.includes(".") ? componentJid.slice(componentJid.indexOf(".") + 1) : componentJid;
  const subject = (env.VAPID_SUBJECT ?? "").trim() || `mailto:postmaster@${parent}`;
  if (!/^(mailto:|https:\/\/)\S+$/.test(subject)) {
    throw new ConfigError("VAPID_SUBJECT", `"${subject}" is not a mailto: or https: URI (RFC 8292 §2.1)`);
  }
  let services: PushService[];
  try {
    services = parsePushServices((env.PUSH_SERVICES ?? "").trim() || DEFAULT_PUSH_SERVICES);
  } catch (err) {
    throw new ConfigError("PUSH_SERVICES", err instanceof Error ? err.message : "bad list");
  }
  return { componentJid, ...address, componentSecret, vapid, subject, services };
}

let cached: { key: string; result: Promise<PushConfig | null | ConfigError> } | undefined;

/** The push config, null when push is off, or the ConfigError naming the bad variable. */
export function getPushConfig(env: PushEnv): Promise<PushConfig | null | ConfigError> {
  const key = JSON.stringify([
    env.PUSH_COMPONENT_JID,
    env.PUSH_COMPONENT_ADDRESS,
    env.PUSH_COMPONENT_SECRET,
    env.VAPID_PUBLIC_KEY,
    env.VAPID_PRIVATE_KEY,
    env.VAPID_SUBJECT,
    env.PUSH_SERVICES,
  ]);
  if (cached?.key === key) return cached.result;
  const result = parse(env).catch((err: unknown) => {
    if (!(err instanceof ConfigError)) throw err;
    logEvent("config_error", { variable: err.variable, message: err.message }, "error");
    return err;
  });
  cached = { key, result };
  return result;
}
