/**
 * Shared pieces of the chat PWA end-to-end tests: build the PWA when stale, a Node @xmpp/client
 * peer that records what it receives, approves subscriptions and answers receipts (XEP-0184), and a
 * reader of the (windowed) message log.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Client, client, type Element as XmlElement, xml } from "@xmpp/client";
import type { Page } from "playwright-core";
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

export interface LogRow {
  body: string;
  direction: "in" | "out";
  state: string;
}

/**
 * Every message of the open chat, read as a reader would: the log is windowed (only rows near the
 * viewport are in the DOM), so it is scrolled from the top to the end, collecting rows by position
 * (aria-posinset), and left at the bottom. Throws if a position was never shown.
 */
export async function readLog(page: Page): Promise<LogRow[]> {
  const rows = await page.evaluate(async () => {
    const log = document.querySelector<HTMLElement>('[role="log"]');
    if (!log) return [];
    const frames = (n: number) =>
      new Promise<void>((resolve) => {
        const step = (left: number) => (left ? requestAnimationFrame(() => step(left - 1)) : resolve());
        step(n);
      });
    const seen = new Map<number, { body: string; direction: "in" | "out"; state: string }>();
    let size = 0;
    const collect = () => {
      for (const li of Array.from(log.querySelectorAll<HTMLElement>("li.msg"))) {
        size = Number(li.getAttribute("aria-setsize"));
        seen.set(Number(li.getAttribute("aria-posinset")), {
          body: li.querySelector(".msg__body")?.textContent ?? "",
          direction: li.classList.contains("msg--out") ? "out" : "in",
          state: li.dataset.state ?? "",
        });
      }
    };
    log.scrollTop = 0;
    await frames(3);
    for (let guard = 0; guard < 10_000; guard++) {
      collect();
      if (log.scrollTop + log.clientHeight >= log.scrollHeight - 1) break;
      // Rows are kept well beyond the viewport (message-list.tsx OVERSCAN): a page and a bit at a time.
      log.scrollTop += log.clientHeight + 300;
      await frames(3);
    }
    collect();
    log.scrollTop = log.scrollHeight;
    await frames(3);
    const out = [];
    for (let i = 1; i <= size; i++) {
      const row = seen.get(i);
      if (!row) throw new Error(`message ${i} of ${size} was never shown while scrolling the log`);
      out.push(row);
    }
    return out;
  });
  return rows;
}
