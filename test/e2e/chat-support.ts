/**
 * Shared pieces of the chat PWA end-to-end tests: build the PWA when stale, and a Node @xmpp/client
 * peer that records what it receives, approves subscriptions and answers receipts (XEP-0184).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Client, client, type Element as XmlElement, xml } from "@xmpp/client";
import { ROOT } from "../support/process";

export const WAIT = 60_000;

/** `npm run build` unless web/dist is newer than every source of the PWA (others may be serving it). */
export function buildPwaIfStale(): void {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
      const p = join(dir, e.name);
      return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  const built = existsSync(join(ROOT, "web/dist/index.html")) ? statSync(join(ROOT, "web/dist/index.html")).mtimeMs : 0;
  const dirs = ["web/src", "web/scripts", "web/public"].map((d) => join(ROOT, d)).filter(existsSync);
  const files = ["web/index.html", "web/vite.config.ts", "package-lock.json"].map((f) => statSync(join(ROOT, f)).mtimeMs);
  if (built > Math.max(...dirs.map(newest), ...files)) return;
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}

export interface Peer {
  xmpp: Client;
  received: XmlElement[];
  /** Chat bodies received, in order (every copy: duplicates show). */
  bodies: () => string[];
  waitFor: (what: string, match: (el: XmlElement) => boolean) => Promise<XmlElement>;
  waitForBodies: (pred: (bodies: string[]) => boolean, what: string) => Promise<string[]>;
}

/** A Node XMPP peer without XEP-0198: @xmpp/client 0.14 counts acks late (the PWA uses web/src/model/smacks.ts). */
export async function startPeer(
  wsUrl: string,
  domain: string,
  username: string,
  password: string,
  resource = "node",
  waitMs = WAIT,
): Promise<Peer> {
  const received: XmlElement[] = [];
  const xmpp: Client = client({ service: wsUrl, domain, username, password, resource });
  xmpp.prependListener("element", (el: XmlElement) => {
    if (el.is("features", "http://etherx.jabber.org/streams")) {
      el.children = el.children.filter((c) => typeof c === "string" || !c.is("sm", "urn:xmpp:sm:3"));
    }
  });
  xmpp.on("error", () => {});
  xmpp.on("stanza", (el) => {
    received.push(el);
    if (el.is("presence") && el.attrs.type === "subscribe" && el.attrs.from) {
      void xmpp.send(xml("presence", { type: "subscribed", to: el.attrs.from }));
    }
    const request = el.is("message") && el.getChild("request", "urn:xmpp:receipts");
    if (request && el.attrs.id && el.attrs.from) {
      void xmpp.send(xml("message", { to: el.attrs.from }, xml("received", { xmlns: "urn:xmpp:receipts", id: el.attrs.id })));
    }
  });
  xmpp.on("online", () => void xmpp.send(xml("presence")).catch(() => {}));
  await xmpp.start();
  const bodies = () =>
    received.filter((el) => el.is("message") && el.getChild("body")).map((el) => el.getChildText("body") ?? "");
  const poll = async <T>(what: string, get: () => T | undefined): Promise<T> => {
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const hit = get();
      if (hit !== undefined) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${username} never received ${what}; got:\n${received.map(String).join("\n")}`);
  };
  return {
    xmpp,
    received,
    bodies,
    waitFor: (what, match) => poll(what, () => received.find(match)),
    waitForBodies: (pred, what) =>
      poll(what, () => {
        const b = bodies();
        return pred(b) ? b : undefined;
      }),
  };
}
