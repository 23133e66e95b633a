/**
 * The push hub: one Durable Object that is this site's XEP-0357 app server. It keeps the XEP-0114
 * component link (component.ts) to the XMPP server open while any device is registered, answers each
 * publish the server sends (publish.ts) and turns it into a Web Push (send.ts) to that device's
 * subscription (devices.ts). A dropped link is reopened from the object's alarm: 1 s after a drop,
 * then backing off to 60 s while the server refuses; while connected the alarm fires every 30 s to
 * check the link and send a whitespace keepalive (RFC 6120 §4.6.1). The alarm also brings the object
 * (and the link) back after a restart or deploy.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { logEvent as log } from "../shared/log";
import { ComponentLink } from "./component";
import { getPushConfig, type PushConfig, type PushEnv } from "./config";
import { DeviceStore } from "./devices";
import { conversationTopic, notificationPayload } from "./notification";
import { errorIq, parsePublish, resultIq } from "./publish";
import { sendPush } from "./send";
import type { Registration } from "./subscription";
import type { XmlElement } from "./xml-stream";

const KEEPALIVE_MS = 30_000;
const MAX_BACKOFF_MS = 60_000;
const CONNECT_TIMEOUT_MS = 10_000;

export type DeviceChange = "ok" | "unknown" | "forbidden";

export class PushHub extends DurableObject<Env> {
  private link: ComponentLink | null = null;
  private connecting: Promise<void> | null = null;
  private failures = 0;
  private readonly devices: DeviceStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.devices = new DeviceStore(ctx.storage);
  }

  private async config(): Promise<PushConfig | null> {
    const c = await getPushConfig(this.env as unknown as PushEnv);
    return c instanceof Error ? null : c;
  }

  /** Registers a device; returns its node and secret. Opens the component link if it is not open. */
  async register(reg: Registration): Promise<{ node: string; secret: string }> {
    const made = await this.devices.add(reg);
    await this.ensureLink();
    return made;
  }

  async update(node: string, secret: string, reg: Registration): Promise<DeviceChange> {
    const access = await this.devices.access(node, secret);
    if (!access.ok) return access.why;
    await this.devices.replace(node, access.device, reg);
    await this.ensureLink();
    return "ok";
  }

  async remove(node: string, secret: string): Promise<DeviceChange> {
    const access = await this.devices.access(node, secret);
    if (!access.ok) return access.why;
    await this.devices.remove(node);
    return "ok";
  }

  /** Whether the component link is up (waits for a connection attempt under way). */
  async connected(): Promise<boolean> {
    if (this.connecting) await this.connecting.catch(() => {});
    return this.link?.open === true;
  }

  override async alarm(): Promise<void> {
    if (!(await this.devices.any())) {
      this.link?.end("no devices registered");
      return;
    }
    await this.ensureLink();
    if (this.link?.open) {
      await this.link.write(" ").catch(() => {});
      await this.ctx.storage.setAlarm(Date.now() + KEEPALIVE_MS);
    }
  }

  /** Opens the link unless it is open or opening; on failure schedules the next try by backoff. */
  private ensureLink(): Promise<void> {
    if (this.link?.open) return Promise.resolve();
    if (!this.connecting) {
      this.connecting = this.openLink().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async openLink(): Promise<void> {
    const config = await this.config();
    if (!config) return;
    try {
      const link = await ComponentLink.open(
        {
          jid: config.componentJid,
          host: config.host,
          port: config.port,
          tls: config.tls,
          secret: config.componentSecret,
          timeoutMs: CONNECT_TIMEOUT_MS,
        },
        {
          stanza: (el) => void this.onStanza(link, config, el),
          closed: (reason) => void this.onClosed(link, reason),
        },
      );
      this.link = link;
      log("push_component_up", { jid: config.componentJid, after_failures: this.failures });
      this.failures = 0;
      await this.ctx.storage.setAlarm(Date.now() + KEEPALIVE_MS);
    } catch (err) {
      this.failures++;
      const retryMs = Math.min(1000 * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
      log("push_component_down", {
        reason: err instanceof Error ? err.message : String(err),
        failures: this.failures,
        retry_ms: retryMs,
      });
      await this.ctx.storage.setAlarm(Date.now() + retryMs);
    }
  }

  private async onClosed(link: ComponentLink, reason: string): Promise<void> {
    if (this.link !== link) return;
    this.link = null;
    log("push_component_lost", { reason });
    await this.ctx.storage.setAlarm(Date.now() + 1000);
  }

  private async onStanza(link: ComponentLink, config: PushConfig, el: XmlElement): Promise<void> {
    if (el.name !== "iq" || (el.attrs.type !== "set" && el.attrs.type !== "get")) return;
    const publish = parsePublish(el);
    const own = config.componentJid;
    if (!publish) {
      await link.write(errorIq(el, own, "cancel", "service-unavailable")).catch(() => {});
      return;
    }
    const access = await this.devices.access(publish.node, publish.secret);
    if (!access.ok) {
      log("push_refused", { why: access.why });
      const reply =
        access.why === "unknown" ? errorIq(el, own, "cancel", "item-not-found") : errorIq(el, own, "auth", "not-authorized");
      await link.write(reply).catch(() => {});
      return;
    }
    await link.write(resultIq(el, own)).catch(() => {});
    const started = Date.now();
    const { device } = access;
    const payload = notificationPayload(publish.summary, device.showBody);
    const outcome = await sendPush(device.subscription, new TextEncoder().encode(JSON.stringify(payload)), {
      vapid: config.vapid,
      subject: config.subject,
      services: config.services,
      topic: await conversationTopic(publish.summary.sender),
    });
    const fields = {
      service: new URL(device.subscription.endpoint).origin,
      status: outcome.status,
      attempts: outcome.attempts,
      ms: Date.now() - started,
    };
    if (outcome.kind === "sent") log("push_sent", fields);
    else if (outcome.kind === "gone") {
      await this.devices.remove(publish.node);
      log("push_gone", fields);
    } else log("push_failed", { ...fields, reason: outcome.reason });
  }
}
