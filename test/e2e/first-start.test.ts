/**
 * A newcomer's first ten minutes, as the README's Quick start tells them: in a clean clone, `npm start`
 * brings up the local stack (test/support/local-stack.ts) and prints the ready block; in Chromium the
 * demo user logs in and chats with the echo contact (its reply, receipt and typing arrive); ffmpeg
 * publishes a test pattern over rtmpt:// through the worker and it is played back through the worker;
 * Ctrl+C (SIGINT to the terminal's process group) leaves no process of the stack behind. A second
 * start on the same clone keeps the accounts and the archive. With PORTHOLE_LOCAL=0 the worker starts
 * alone after one line saying why.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { codecs, publish } from "../support/media";
import { freePort, ROOT, tempDir, waitFor } from "../support/process";
import { chatView, readLog, WAIT } from "./chat-support";

interface Started {
  child: ChildProcess;
  output: () => string;
  open: string;
  logins: Array<{ address: string; password: string }>;
  readyMs: number;
}

/** `npm start` in `dir`, in its own process group as a terminal runs it; resolves at the ready block. */
async function npmStart(dir: string, env: Record<string, string> = {}, ready = /^Open: (\S+)$/m): Promise<Started> {
  const t0 = Date.now();
  const child = spawn("npm", ["start"], {
    cwd: dir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  await waitFor("npm start: the ready block", async () => child.exitCode !== null || ready.test(out), 150_000).catch((err) => {
    try {
      process.kill(-(child.pid ?? 0), "SIGINT");
    } catch {}
    throw new Error(`${(err as Error).message}\n--- npm start said ---\n${out.slice(-4000)}`);
  });
  if (!ready.test(out)) throw new Error(`npm start exited ${child.exitCode} before the ready block:\n${out.slice(-4000)}`);
  const logins = [...out.matchAll(/^Login: (\S+) \/ (\S+)$/gm)].map((m) => ({ address: m[1] ?? "", password: m[2] ?? "" }));
  return { child, output: () => out, open: ready.exec(out)?.[1] ?? "", logins, readyMs: Date.now() - t0 };
}

/** Ctrl+C: SIGINT to the whole foreground group; resolves when npm has exited. */
async function ctrlC(s: Started): Promise<void> {
  const exited = new Promise<void>((r) => (s.child.exitCode !== null ? r() : s.child.once("exit", () => r())));
  try {
    process.kill(-(s.child.pid ?? 0), "SIGINT");
  } catch {
    return; // the group is gone already
  }
  await exited;
}

/** Processes whose command line or working directory is inside `dir`. */
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {}
      if (cmd.includes(dir) || cwd.startsWith(dir)) found.push(`${pid}: ${cmd}`);
    } catch {}
  }
  return found;
}

describe("first start: npm start in a clean clone", () => {
  const clone = join(tempDir("first-start"), "porthole");
  let browser: BrowserContext;
  let first: Started;

  beforeAll(async () => {
    const r = spawnSync("git", ["clone", "--quiet", ROOT, clone], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git clone: ${r.stderr}`);
    // The clone's `npm ci` would install the same lockfile: share the tree's packages.
    symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"), "dir");
    browser = await launchBrowser();
    first = await npmStart(clone, { PORTHOLE_PORT: String(await freePort()) });
    console.log(`first start: ready block after ${first.readyMs} ms`);
  }, 240_000);

  afterAll(async () => {
    if (first?.child.exitCode === null) await ctrlC(first);
    await browser?.close();
  });

  it("prints the ready block with the URL and the demo logins", () => {
    expect(first.open).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(first.logins.map((l) => l.address)).toEqual(["alice@localhost", "bob@localhost"]);
    for (const l of first.logins) expect(l.password.length).toBeGreaterThanOrEqual(8);
    expect(first.output()).toContain("echo@localhost");
    expect(first.output()).toMatch(/ffmpeg .* -f flv rtmpt:\/\/127\.0\.0\.1:\d+\/live\/demo/);
  });

  it("alice logs in and chats with echo, which is already a contact and answers", async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    const view = chatView(
      () => page,
      () => "echo@localhost",
    );
    const alice = first.logins[0] ?? { address: "", password: "" };
    await page.goto(first.open);
    await page.getByLabel("Address", { exact: true }).fill(alice.address);
    await page.getByLabel("Password").fill(alice.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(() => view.row().textContent(), { timeout: WAIT }).toContain("Online");
    await view.openBobChat();
    await view.send("hello echo");
    await expect.poll(() => view.shown(), { timeout: WAIT }).toEqual(["hello echo", "echo: hello echo"]);
    // echo acknowledged the message (XEP-0184).
    await expect.poll(() => view.outStates(), { timeout: WAIT }).toEqual(["hello echo:delivered"]);
    await page.close();
  });

  it("ffmpeg publishes over rtmpt:// through the worker and the stream plays back through it", async () => {
    const url = first.open.replace(/^http:/, "rtmpt:").replace(/\/$/, "/live/newcomer");
    const pub = publish(url, 20);
    try {
      await waitFor("playback through the worker", async () => (await codecs(url, 30_000)).join(",") === "aac,h264", 60_000);
    } finally {
      pub.stop();
    }
  });

  it("Ctrl+C stops every process of the stack", async () => {
    const pids = JSON.parse(readFileSync(join(clone, ".porthole/pids.json"), "utf8")) as number[];
    expect(pids.length).toBe(3); // Prosody, nginx-rtmp, wrangler dev
    await ctrlC(first);
    expect(first.output()).toContain("porthole: SIGINT: stopping the stack");
    expect(processesIn(clone)).toEqual([]);
  });

  it("a second start keeps the accounts and the conversation", async () => {
    const second = await npmStart(clone, { PORTHOLE_PORT: String(await freePort()) });
    console.log(`second start: ready block after ${second.readyMs} ms`);
    try {
      expect(second.logins).toEqual(first.logins);
      const fresh = await launchBrowser(); // a new device: the history comes from the server's archive
      try {
        const page = await fresh.newPage();
        const view = chatView(
          () => page,
          () => "echo@localhost",
        );
        const alice = second.logins[0] ?? { address: "", password: "" };
        await page.goto(second.open);
        await page.getByLabel("Address", { exact: true }).fill(alice.address);
        await page.getByLabel("Password").fill(alice.password);
        await page.getByRole("button", { name: "Log in" }).click();
        await expect.poll(() => view.connection().textContent(), { timeout: WAIT }).toContain("Online");
        await view.openBobChat();
        await expect
          .poll(async () => (await readLog(page)).map((r) => r.body), { timeout: WAIT })
          .toEqual(["hello echo", "echo: hello echo"]);
      } finally {
        await fresh.close();
      }
    } finally {
      await ctrlC(second);
    }
    expect(processesIn(clone)).toEqual([]);
  });

  it("with PORTHOLE_LOCAL=0 the worker starts alone, after one line saying why", async () => {
    const port = await freePort();
    const alone = await npmStart(clone, { PORTHOLE_LOCAL: "0", PORTHOLE_PORT: String(port) }, /Ready on (http:\/\/\S+)/);
    try {
      expect(alone.output()).toContain(
        "porthole: starting the worker alone, without the local chat and media servers: PORTHOLE_LOCAL=0.",
      );
      expect(alone.output()).not.toContain("Login:");
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
      expect(processesIn(join(clone, ".porthole"))).toEqual([]);
    } finally {
      await ctrlC(alone);
    }
    expect(processesIn(clone)).toEqual([]);
  });
});
