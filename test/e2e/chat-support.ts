/**
 * Shared pieces of the chat PWA end-to-end tests: build the PWA when stale, the rig of one test file
 * (Prosody + wrangler dev + Chromium + bob), a Node @xmpp/client peer that records what it receives,
 * approves subscriptions and answers receipts (XEP-0184), a reader of the (windowed) message log and
 * the few page actions every chat test repeats (what sits in the app bar's menu and the chat's menu
 * is reached through them).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Client, client, type Element as XmlElement, xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { launchBrowser } from "../support/browser";
import { freePort, ROOT } from "../support/process";
import { type ProsodyOptions, type ProsodyServer, startProsody } from "../support/prosody";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";

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

/** A Node XMPP peer without XEP-0198: @xmpp/client 0.14 counts acks late (the PWA uses web/src/model/xmpp/smacks.ts). */
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

/** One test file's world: Prosody with these users, wrangler dev in front of it, Chromium, bob online. */
export interface ChatRig {
  prosody: ProsodyServer;
  worker: WorkerServer;
  browser: BrowserContext;
  bob: Peer;
  alice: string;
  bobJid: string;
  /** Uncaught errors of every page opened with newPage(). */
  errors: string[];
  /** A new 360x640 page (a phone), its errors collected. */
  newPage: () => Promise<Page>;
  stop: () => Promise<void>;
}

export async function startChatRig(
  users: { alice: string; bob: string } & Record<string, string>,
  waitMs = WAIT,
  prosodyOptions: Omit<ProsodyOptions, "users"> = {},
  workerVars: Record<string, string> = {},
  /** With file upload (XEP-0363): Prosody's mod_http_file_share behind the worker's /upload/. */
  fileShare?: { sizeLimit: number },
): Promise<ChatRig> {
  buildPwaIfStale();
  const errors: string[] = [];
  const started: { stop: () => Promise<unknown> }[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => {});
  };
  try {
    const port = fileShare ? await freePort() : undefined;
    const prosody = await startProsody({
      ...prosodyOptions,
      users,
      ...(fileShare ? { fileShare: { externalUrl: `http://127.0.0.1:${port}/`, ...fileShare } } : {}),
    });
    started.push(prosody);
    const upload: Record<string, string> = fileShare ? { UPLOAD_URL: `http://127.0.0.1:${prosody.httpPort}/upload/` } : {};
    const worker = await startWorker({ XMPP_WEBSOCKET_URL: prosody.wsUrl, ...upload, ...workerVars }, port ? { port } : {});
    started.push(worker);
    const browser = await launchBrowser();
    started.push({ stop: () => browser.close() });
    const bob = await startPeer(prosody.wsUrl, prosody.domain, "bob", users.bob, "node", waitMs);
    started.push(bob.xmpp);
    const newPage = async () => {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 360, height: 640 });
      page.on("pageerror", (e) => errors.push(String(e)));
      return page;
    };
    return {
      prosody,
      worker,
      browser,
      bob,
      alice: `alice@${prosody.domain}`,
      bobJid: `bob@${prosody.domain}`,
      errors,
      newPage,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The page actions the chat tests repeat; `page` is a getter because some tests open a new page. */
export function chatView(page: () => Page, bob: () => string) {
  const log = async () => readLog(page());
  return {
    connection: () => page().getByTestId("connection"),
    row: (jid = bob()) => page().locator(`button.contact[data-jid="${jid}"]`),
    /** The whole conversation, scrolled through (the log is windowed: not every row is in the DOM). */
    shown: async () => (await log()).map((r) => r.body),
    outStates: async () => (await log()).filter((r) => r.direction === "out").map((r) => `${r.body}:${r.state}`),
    /** Opens bob's chat, unless it is open already (a reload comes back to the open chat). */
    openBobChat: async () => {
      // After a reload the app may reopen the chat on its own a moment later (hiding the roster on a
      // phone): click the contact only while the chat is not open, and look again if the click fails.
      const open = page().locator(`section.chat[data-jid="${bob()}"]`);
      const contact = page().locator(`button.contact[data-jid="${bob()}"]`);
      const deadline = Date.now() + WAIT;
      while (!(await open.isVisible())) {
        if (Date.now() > deadline) throw new Error(`the chat with ${bob()} did not open`);
        if (await contact.isVisible()) await contact.click({ timeout: 2000 }).catch(() => {});
        else await page().waitForTimeout(100);
      }
      await page().getByRole("log", { name: "Messages" }).waitFor({ timeout: WAIT });
    },
    send: async (body: string) => {
      const box = page().getByRole("textbox", { name: "Message" });
      await box.fill(body);
      await box.press("Enter");
    },
    /** Opens the app bar's menu (account, presence, notifications, settings, log out). */
    openMenu: () => openMenu(page(), "Menu"),
    /** Sets my availability ("available" | "away" | "dnd") and status from the app bar's menu. */
    setPresence: async (show: string, status: string) => {
      await openMenu(page(), "Menu");
      await page().getByLabel("Status message").fill(status);
      await page().getByLabel("My availability").selectOption(show);
      await page().getByRole("button", { name: "Set", exact: true }).click();
      await page().keyboard.press("Escape");
    },
    /** Logs out from the app bar's menu, clearing this device's history when asked. */
    logout: async (clearHistory = false) => {
      await openMenu(page(), "Menu");
      await page().getByRole("button", { name: "Log out" }).click();
      if (clearHistory) await page().getByLabel("Also clear this device's history").check();
      await page().getByRole("button", { name: "Confirm log out" }).click();
    },
    /** Removes the open chat's contact from the chat's menu, confirming. */
    removeContact: async () => {
      await openMenu(page(), "Chat options");
      await page().getByRole("button", { name: "Remove contact" }).click();
      await page().getByRole("button", { name: "Confirm remove" }).click();
    },
  };
}

/** Opens the disclosure menu behind the button of this name, unless it is open already. */
export async function openMenu(page: Page, name: string): Promise<void> {
  const button = page.getByRole("button", { name, exact: true });
  if ((await button.getAttribute("aria-expanded", { timeout: WAIT })) !== "true") await button.click();
  await page.locator(`#${await button.getAttribute("aria-controls")}`).waitFor({ timeout: WAIT });
}

/** Logs alice in with her password and approves bob's subscription request: bob shows online. */
export async function loginAndBefriendBob(
  page: Page,
  rig: Pick<ChatRig, "alice" | "bobJid" | "bob">,
  password: string,
): Promise<void> {
  const view = chatView(
    () => page,
    () => rig.bobJid,
  );
  await page.getByLabel("Address", { exact: true }).fill(rig.alice);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).toContain("Online");
  await rig.bob.xmpp.send(xml("presence", { type: "subscribe", to: rig.alice }));
  await page.getByRole("button", { name: `Approve ${rig.bobJid}` }).click({ timeout: WAIT });
  await expect.poll(() => view.row().textContent(), { timeout: WAIT }).toContain("Online");
}

/** Records every text the connection indicator shows from now on, so a short outage cannot be missed. */
export async function recordConnectionStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="connection"]');
    const seen: string[] = [];
    (window as unknown as { __states: string[] }).__states = seen;
    if (el)
      new MutationObserver(() => seen.push(el.textContent ?? "")).observe(el, {
        subtree: true,
        childList: true,
        characterData: true,
      });
  });
  return () => page.evaluate(() => (window as unknown as { __states: string[] }).__states);
}

/** How many messages this page's device history (IndexedDB "porthole", store "messages") holds. */
export function deviceMessageCount(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open("porthole");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const n = await new Promise<number>((resolve) => {
      const req = db.transaction("messages").objectStore("messages").count();
      req.onsuccess = () => resolve(req.result);
    });
    db.close();
    return n;
  });
}
