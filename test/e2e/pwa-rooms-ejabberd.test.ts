// Group chat in the PWA against Debian's ejabberd 23.01: real Chromium → wrangler dev → ejabberd with
// mod_muc (every room archived: default_room_options mam), mod_mam, and mod_pubsub's pep plugin for the
// XEP-0402 bookmarks (test/support/ejabberd-config.ts roomModules, the config README.md gives). The
// other occupants, bob and carol, are Node @xmpp/client users sending the stanzas exactly as Converse.js
// builds them: the join presence of MUC.constructPresence (src/headless/plugins/muc/muc.js: <x
// xmlns=muc><history maxstanzas=0/>) and the groupchat message of createMessageStanza (body, <active/>,
// <origin-id/>, id = origin-id). One page session: the PWA creates a members-only room (ejabberd's own
// owner form: its archive field is `mam`), invites bob (made a member first), messages both ways with my
// reflection shown once, a mention highlighted, a kick with its reason, an invitation as ejabberd
// forwards it (mediated: the inviter's full JID, plus a jabber:x:conference copy and a body), a nickname
// in use refused in words, a message typed offline sent exactly once, a reload, the archive caught up in
// a new tab with no gap and no duplicate, and another device joining both rooms from the bookmarks
// (ejabberd 23.01 refuses publish-options it does not know and keeps one item per node by default),
// the first tab staying in den, one occupant, while the other device joins and leaves it with the
// same nickname (ejabberd's multi-session occupant).
import { randomUUID } from "node:crypto";
import { type Element, xml } from "@xmpp/client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { type EjabberdServer, startEjabberd } from "../support/ejabberd";
import { roomModules } from "../support/ejabberd-config";
import { startWorker, type WorkerServer } from "../support/wrangler-dev";
import { buildPwaIfStale, openMenu, type Peer, readLog, startPeer, WAIT } from "./chat-support";
import { peerJoinsRoom } from "./rooms-support";

const DOMAIN = "localhost";
const PASSWORD = { alice: "alice-pw-e", bob: "bob-pw-e", carol: "carol-pw-e" };
const MUC_USER = "http://jabber.org/protocol/muc#user";
const LOBBY = `lobby@conference.${DOMAIN}`;
const DEN = `den@conference.${DOMAIN}`;
const codes = (el: Element) => (el.getChild("x", MUC_USER)?.getChildren("status") ?? []).map((s) => Number(s.attrs.code));

describe("group chat PWA against ejabberd's mod_muc", () => {
  let server: EjabberdServer;
  let worker: WorkerServer;
  let browser: BrowserContext;
  let other: BrowserContext | null = null;
  let bob: Peer;
  let carol: Peer;
  let page: Page;
  const errors: string[] = [];

  const newPage = async (context: BrowserContext = browser) => {
    const p = await context.newPage();
    await p.setViewportSize({ width: 360, height: 640 });
    p.on("pageerror", (e) => errors.push(String(e)));
    return p;
  };
  /** What bob (Converse.js's createMessageStanza) sends into the room. */
  const says = (peer: Peer, room: string, body: string) => {
    const id = randomUUID();
    return peer.xmpp.send(
      xml(
        "message",
        { to: room, type: "groupchat", id },
        xml("body", {}, body),
        xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
        xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
      ),
    );
  };
  const got = (peer: Peer, body: string) =>
    peer.received.filter((el) => el.is("message") && el.attrs.type === "groupchat" && el.getChildText("body") === body).length;
  const roomView = (room: string, p: Page = page) => p.locator(`section.room[data-jid="${room}"]`);
  const openRoom = async (room: string, p: Page = page) => {
    const deadline = Date.now() + WAIT;
    while (!(await roomView(room, p).isVisible())) {
      if (Date.now() > deadline) throw new Error(`${room} did not open`);
      const back = p.getByRole("button", { name: "Back to contacts" });
      const row = p.locator(`button.room-row__open[data-jid="${room}"]`);
      if (await row.isVisible()) await row.click({ timeout: 2000 }).catch(() => {});
      else if (await back.isVisible()) await back.click({ timeout: 2000 }).catch(() => {});
      else await p.waitForTimeout(100);
    }
    await p.getByRole("log", { name: "Messages" }).waitFor({ timeout: WAIT });
  };
  const bodies = async (p: Page = page) => (await readLog(p)).map((r) => r.body);
  const login = async (p: Page) => {
    await p.goto(`${worker.url}/`);
    await p.getByLabel("Address", { exact: true }).fill(`alice@${DOMAIN}`);
    await p.getByLabel("Password").fill(PASSWORD.alice);
    await p.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => p.getByTestId("connection").textContent(), { timeout: WAIT }).toContain("Online");
  };
  const send = async (body: string) => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(body);
    await box.press("Enter");
  };
  const roomMenu = async (item: string) => {
    await openMenu(page, "Room options");
    await page.getByRole("button", { name: item, exact: true }).click();
  };
  const backToContacts = async () => {
    const back = page.getByRole("button", { name: "Back to contacts" });
    if (await back.isVisible()) await back.click();
  };

  beforeAll(async () => {
    buildPwaIfStale();
    // Salted passwords kept on the server (README.md, "Group chat"): with plain ones ejabberd salts anew on
    // every login, and a reload could not log in again from the SCRAM keys the PWA keeps.
    server = await startEjabberd({
      users: PASSWORD,
      domain: DOMAIN,
      modules: roomModules(DOMAIN),
      extraConfig: "auth_password_format: scram",
    });
    worker = await startWorker({ XMPP_WEBSOCKET_URL: server.wsUrl });
    browser = await launchBrowser();
    bob = await startPeer(server.wsUrl, DOMAIN, "bob", PASSWORD.bob);
    carol = await startPeer(server.wsUrl, DOMAIN, "carol", PASSWORD.carol);
  });
  afterAll(async () => {
    await other?.close().catch(() => {});
    await browser?.close().catch(() => {});
    for (const p of [bob, carol]) await p?.xmpp.stop().catch(() => {});
    await worker?.stop();
    await server?.stop();
  });

  it("creates a members-only archived room with ejabberd's owner form, invites bob (member first), talks both ways", async () => {
    page = await newPage();
    await login(page);
    await page.getByText("Create a room", { exact: true }).click();
    const form = page.getByRole("form", { name: "Create a room" });
    await form.getByLabel("New room's address").fill(LOBBY);
    await form.getByLabel("Room name").fill("Lobby");
    await form.getByRole("button", { name: "Create" }).click();
    const name = page.locator(`button.room-row__open[data-jid="${LOBBY}"] .room-row__name`);
    const problem = page.getByTestId("create-problem");
    await expect
      .poll(async () => ((await problem.count()) ? problem.textContent() : name.textContent()), { timeout: WAIT })
      .toBe("Lobby");
    // ejabberd has the configuration: members-only, persistent, archived, named.
    const info = await carol.xmpp.iqCaller.request(
      xml("iq", { type: "get", to: LOBBY }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })),
    );
    const features = info
      .getChild("query")
      ?.getChildren("feature")
      .map((f) => f.attrs.var);
    expect(features).toEqual(expect.arrayContaining(["muc_membersonly", "muc_persistent", "urn:xmpp:mam:2"]));
    expect(info.getChild("query")?.getChild("identity")?.attrs.name).toBe("Lobby");
    // carol, not a member, is refused
    const refusal = await peerJoinsRoom(carol, LOBBY, "carol");
    expect(refusal.attrs.type).toBe("error");
    expect(refusal.getChild("error")?.getChild("registration-required")).toBeTruthy();

    await openRoom(LOBBY);
    await roomMenu("Invite a contact");
    await page.getByLabel("Contact's address").fill(`bob@${DOMAIN}`);
    await page.getByLabel("Message with the invitation").fill("planning");
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    const invitation = await bob.waitFor("invitation", (el) => el.getChild("x", "jabber:x:conference")?.attrs.jid === LOBBY);
    expect(invitation.getChild("x", "jabber:x:conference")?.attrs.reason).toBe("planning");
    const self = await peerJoinsRoom(bob, LOBBY, "bob");
    expect(self.attrs.type).toBeUndefined();
    expect(codes(self)).toContain(110);
    await expect.poll(() => page.getByRole("button", { name: "2 people" }).count(), { timeout: WAIT }).toBe(1);

    await says(bob, LOBBY, "hello everyone <b>not bold</b>");
    await expect.poll(() => bodies(), { timeout: WAIT }).toEqual(["hello everyone <b>not bold</b>"]);
    expect(await roomView(LOBBY).locator("b").count()).toBe(0);
    await send("hi bob");
    await expect.poll(() => got(bob, "hi bob"), { timeout: WAIT }).toBe(1);
    await expect
      .poll(async () => (await readLog(page)).filter((r) => r.direction === "out").map((r) => `${r.body}:${r.state}`), {
        timeout: WAIT,
      })
      .toEqual(["hi bob:delivered"]);
    await says(bob, LOBBY, "alice: lunch?");
    await expect
      .poll(() => roomView(LOBBY).locator("li.msg--mention .msg__body").allTextContents(), { timeout: WAIT })
      .toEqual(["alice: lunch?"]);
    expect(await bodies()).toEqual(["hello everyone <b>not bold</b>", "hi bob", "alice: lunch?"]);
  });

  it("removes bob with a reason (ejabberd's 307 with the actor); bob, still a member, comes back", async () => {
    await page.getByRole("button", { name: "2 people" }).click();
    await page.getByRole("button", { name: "Remove bob" }).click({ timeout: WAIT });
    await page.getByLabel("Reason (optional)").fill("too loud");
    const mark = bob.received.length;
    await page.getByRole("button", { name: "Remove", exact: true }).click();
    const kicked = await bob.waitFor(
      "307",
      (el) => bob.received.indexOf(el) >= mark && el.attrs.from === `${LOBBY}/bob` && codes(el).includes(307),
    );
    expect(kicked.getChild("x", MUC_USER)?.getChild("item")?.getChildText("reason")).toBe("too loud");
    await page.locator('#room-people li.occupant[data-nick="bob"]').waitFor({ state: "detached", timeout: WAIT });
    await peerJoinsRoom(bob, LOBBY, "bob");
    await page.locator('#room-people li.occupant[data-nick="bob"]').waitFor({ timeout: WAIT });
    await page.getByRole("button", { name: "2 people" }).click();
  });

  it("an invitation as ejabberd forwards it; a nickname in use refused in words, the form kept; then joined", async () => {
    await peerJoinsRoom(carol, DEN, "carol");
    // Converse.js's MUC.invite / Conversations' MessageGenerator.invite: mediated, through the room.
    await carol.xmpp.send(
      xml(
        "message",
        { to: DEN, id: randomUUID() },
        xml("x", { xmlns: MUC_USER }, xml("invite", { to: `alice@${DOMAIN}` }, xml("reason", {}, "come in"))),
      ),
    );
    await backToContacts();
    const prompt = page.locator(`li.invitation[data-room="${DEN}"]`);
    await prompt.waitFor({ timeout: WAIT });
    // ejabberd names the inviter by full JID: shown (and answered) as the bare one.
    expect(await prompt.textContent()).toContain(`carol@${DOMAIN} invites you to ${DEN}`);
    expect(await prompt.textContent()).toContain("“come in”");
    await prompt.getByRole("button", { name: "Decline" }).click();
    await prompt.waitFor({ state: "detached", timeout: WAIT });

    await page.getByText("Join a room").click();
    await page.getByLabel("Room address").fill(DEN);
    await page.getByLabel("Nickname", { exact: true }).fill("carol");
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await expect
      .poll(() => page.getByTestId("join-problem").textContent(), { timeout: WAIT })
      .toBe("That nickname is already in use in this room. Choose another one.");
    expect(await page.getByLabel("Room address").inputValue()).toBe(DEN);
    await page.getByLabel("Nickname", { exact: true }).fill("alice");
    const mark = carol.received.length;
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await carol.waitFor("alice in den", (el) => carol.received.indexOf(el) >= mark && el.attrs.from === `${DEN}/alice`);
    await says(carol, DEN, "welcome to the den");
    await openRoom(DEN);
    await expect.poll(() => bodies(), { timeout: WAIT }).toEqual(["welcome to the den"]);
  });

  it("sends a message typed offline exactly once; a reload rejoins and shows the room's history", async () => {
    await openRoom(LOBBY);
    await browser.setOffline(true);
    await send("typed offline");
    await browser.setOffline(false);
    await expect.poll(() => got(bob, "typed offline"), { timeout: WAIT }).toBe(1);
    await page.reload();
    await openRoom(LOBBY);
    await expect
      .poll(() => bodies(), { timeout: WAIT })
      .toEqual(["hello everyone <b>not bold</b>", "hi bob", "alice: lunch?", "typed offline"]);
    await expect.poll(() => page.getByTestId("connection").textContent(), { timeout: WAIT }).toContain("Online");
    await expect.poll(() => page.getByRole("button", { name: "2 people" }).count(), { timeout: WAIT }).toBe(1);
    await says(bob, LOBBY, "after the reload");
    await expect.poll(() => bodies(), { timeout: WAIT }).toContain("after the reload");
    expect(got(bob, "typed offline")).toBe(1);
    expect(got(bob, "hi bob")).toBe(1);
  });

  it("a new tab catches up from ejabberd's room archive: what was said meanwhile, once, nothing lost", async () => {
    await page.close();
    await says(bob, LOBBY, "while you were away 1");
    await says(bob, LOBBY, "while you were away 2");
    await says(carol, DEN, "den while away");
    page = await newPage();
    await page.goto(`${worker.url}/`);
    await openRoom(LOBBY);
    await expect.poll(() => bodies(), { timeout: WAIT }).toContain("while you were away 2");
    expect(await bodies()).toEqual([
      "hello everyone <b>not bold</b>",
      "hi bob",
      "alice: lunch?",
      "typed offline",
      "after the reload",
      "while you were away 1",
      "while you were away 2",
    ]);
    await openRoom(DEN);
    await expect.poll(() => bodies(), { timeout: WAIT }).toEqual(["welcome to the den", "den while away"]);
  });

  it("another device joins both rooms by itself from the bookmarks (autojoin); leaving one retracts its bookmark", async () => {
    await openRoom(DEN);
    const people = () =>
      roomView(DEN, page)
        .getByRole("button", { name: /(people|person)$/ })
        .textContent();
    const before = await people();
    other = await launchBrowser();
    const second = await newPage(other);
    await login(second);
    await openRoom(LOBBY, second);
    await expect.poll(() => bodies(second), { timeout: WAIT }).toContain("while you were away 2");
    await openRoom(DEN, second);
    await expect.poll(() => bodies(second), { timeout: WAIT }).toContain("den while away");
    await says(carol, DEN, "to both devices");
    await expect.poll(() => bodies(second), { timeout: WAIT }).toContain("to both devices");

    // Leaving from this device: ejabberd keeps alice in den while her first tab is there (one
    // occupant, several resources), so the room goes from this device's list and from the bookmarks.
    await openMenu(second, "Room options");
    await second.getByRole("button", { name: "Leave room", exact: true }).click();
    await second.locator(`button.room-row__open[data-jid="${DEN}"]`).waitFor({ state: "detached", timeout: WAIT });
    // The first tab saw the same nickname join from the other device (ejabberd: room/alice without 110)
    // and leave (nothing): still in den, one "alice", nothing said about leaving.
    await says(carol, DEN, "after the other device left");
    await expect.poll(() => bodies(), { timeout: WAIT }).toContain("after the other device left");
    expect(await people()).toBe(before);
    expect(await roomView(DEN, page).getByTestId("room-status").count()).toBe(0);
    // alice's bookmarks, as any client of hers reads them (XEP-0402 §3.4)
    const alice = await startPeer(server.wsUrl, DOMAIN, "alice", PASSWORD.alice, "probe");
    try {
      await expect
        .poll(
          async () => {
            const items = await alice.xmpp.iqCaller.request(
              xml(
                "iq",
                { type: "get" },
                xml("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" }, xml("items", { node: "urn:xmpp:bookmarks:1" })),
              ),
            );
            return (items.getChild("pubsub")?.getChild("items")?.getChildren("item") ?? []).map((i) => i.attrs.id);
          },
          { timeout: WAIT },
        )
        .toEqual([LOBBY]);
    } finally {
      await alice.xmpp.stop().catch(() => {});
    }
    expect(errors).toEqual([]);
  });
});
