// XEP-0198 stream resumption in the chat PWA, end to end: real Chromium → wrangler dev → real Prosody
// (mod_smacks, whose debug log tells a resumed session from a new one), bob as a Node @xmpp/client.
// The WebSocket cut under a live page, and a page reload: this tab keeps the stream's resumption state in
// sessionStorage (sm-store.ts), so the reloaded page resumes the same session instead of logging in
// afresh; a refused resumption (<failed/>) falls back to a new session; logout forgets the state.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProsodyServer } from "../support/prosody";
import { type ChatRig, chatView, loginAndBefriendBob, type Peer, startChatRig, WAIT } from "./chat-support";

const PASSWORD = { alice: "alice-pw-9", bob: "bob-pw-9" };

describe("chat PWA: stream resumption (XEP-0198) after a cut and across a reload", () => {
  let rig: ChatRig;
  let prosody: ProsodyServer;
  let bob: Peer;
  let page: Page;
  let alice: string;
  let bobJid: string;

  const { connection, shown, outStates, openBobChat, send, logout } = chatView(
    () => page,
    () => bobJid,
  );
  const prosodyLog = () => readFileSync(join(prosody.dir, "prosody.log"), "utf8");
  const logCount = (text: string) => prosodyLog().split(text).length - 1;
  const smKey = () => `porthole.sm:${alice}`;
  const stored = () => page.evaluate((key) => sessionStorage.getItem(key), smKey());

  beforeAll(async () => {
    rig = await startChatRig(PASSWORD);
    ({ prosody, bob, alice, bobJid } = rig);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("logs in, befriends bob and opens the chat with him", async () => {
    page = await rig.newPage();
    // Keep a handle on the page's WebSockets (this and every later load) to cut them from the outside.
    await page.addInitScript(() => {
      const Native = WebSocket;
      const sockets: WebSocket[] = [];
      (window as unknown as { __sockets: WebSocket[] }).__sockets = sockets;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          sockets.push(this);
        }
      };
    });
    await page.goto(`${rig.worker.url}/`);
    await loginAndBefriendBob(page, rig, PASSWORD.alice);
    await openBobChat();
  });

  it("resumes the stream after the WebSocket is cut (XEP-0198): nothing lost or duplicated either way", async () => {
    const resumedBefore = (prosodyLog().match(/session resumed from/g) ?? []).length;
    await page.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.at(-1)?.close());
    const fromBob = Array.from({ length: 20 }, (_, i) => `cut b ${i}`);
    const fromAlice = Array.from({ length: 5 }, (_, i) => `cut a ${i}`);
    for (const [i, body] of fromBob.entries())
      await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: `cb${i}` }, xml("body", {}, body)));
    for (const body of fromAlice) await send(body);
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(async () => (await shown()).filter((b) => b.startsWith("cut b")), { timeout: WAIT }).toEqual(fromBob);
    await send("after the cut");
    await bob.waitForBodies((b) => b.includes("after the cut"), "the marker");
    expect(bob.bodies().filter((b) => b.startsWith("cut a"))).toEqual(fromAlice);
    expect((prosodyLog().match(/session resumed from/g) ?? []).length).toBe(resumedBefore + 1);
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "cb-last" }, xml("body", {}, "bob after the cut")));
    await expect.poll(shown, { timeout: WAIT }).toContain("bob after the cut");
    expect((await shown()).filter((b) => b.startsWith("cut b"))).toEqual(fromBob);
  });

  it("resumes the same session after a reload: bob's messages sent meanwhile arrive once, alice's unacked one reaches bob once", async () => {
    await expect.poll(async () => JSON.parse((await stored()) ?? "{}").id ?? "", { timeout: WAIT }).not.toBe("");
    const entry = (await stored()) ?? "";
    expect(entry).toContain(`"jid":"${alice}/`);
    expect(entry).not.toContain(PASSWORD.alice);
    const resumedBefore = logCount("session resumed from");
    const enabledBefore = logCount("Enabling stream management");
    // Sent and written to the socket, then the page goes at once: the ack is likely still to come.
    await send("just before the reload");
    await expect
      .poll(async () => (await outStates()).find((s) => s.startsWith("just before the reload:")), { timeout: WAIT })
      .toMatch(/:(sent|delivered)$/);
    await page.reload({ waitUntil: "commit" });
    const fromBob = Array.from({ length: 10 }, (_, i) => `reload b ${i}`);
    for (const [i, body] of fromBob.entries())
      await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: `rb${i}` }, xml("body", {}, body)));
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await openBobChat();
    await expect.poll(async () => (await shown()).filter((b) => b.startsWith("reload b")), { timeout: WAIT }).toEqual(fromBob);
    expect(logCount("session resumed from")).toBe(resumedBefore + 1);
    expect(logCount("Enabling stream management")).toBe(enabledBefore);
    await send("after the reload");
    await bob.waitForBodies((b) => b.includes("after the reload"), "the marker");
    expect(bob.bodies().filter((b) => b === "just before the reload")).toHaveLength(1);
    // Later messages still arrive once: the resumed session counts on from where the old page stopped.
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "rb-last" }, xml("body", {}, "bob after the reload")));
    await expect.poll(shown, { timeout: WAIT }).toContain("bob after the reload");
    const bodies = await shown();
    expect(bodies.filter((b) => b.startsWith("reload b"))).toEqual(fromBob);
    expect(bodies.filter((b) => b === "bob after the reload")).toHaveLength(1);
    expect(logCount("acknowledged more stanzas than")).toBe(0);
  });

  it("falls back to a new session when the server refuses the resumption (<failed/>), messages flow", async () => {
    const enabledBefore = logCount("Enabling stream management");
    const refusedBefore = logCount("Tried to resume non-existent session");
    await page.evaluate((key) => {
      const state = JSON.parse(sessionStorage.getItem(key) ?? "{}");
      sessionStorage.setItem(key, JSON.stringify({ ...state, id: "no-such-session" }));
    }, smKey());
    await page.reload();
    await expect.poll(() => connection().textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(() => logCount("Enabling stream management"), { timeout: WAIT }).toBe(enabledBefore + 1);
    expect(logCount("Tried to resume non-existent session")).toBe(refusedBefore + 1);
    await expect.poll(async () => JSON.parse((await stored()) ?? "{}").id ?? "", { timeout: WAIT }).not.toBe("no-such-session");
    await bob.xmpp.send(xml("message", { to: alice, type: "chat", id: "fb1" }, xml("body", {}, "after a refused resume")));
    await openBobChat();
    await expect.poll(shown, { timeout: WAIT }).toContain("after a refused resume");
    await send("alice after a refused resume");
    await bob.waitForBodies((b) => b.includes("alice after a refused resume"), "alice's message");
  });

  it("logs out: the stream's resumption state leaves sessionStorage", async () => {
    expect(await stored()).not.toBeNull();
    await logout();
    await page.getByLabel("Password").waitFor({ timeout: WAIT });
    await expect.poll(stored, { timeout: WAIT }).toBeNull();
    expect(rig.errors).toEqual([]);
  });
});
