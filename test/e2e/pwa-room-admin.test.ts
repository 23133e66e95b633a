// Running a room from the PWA (Chromium at 360x640, then 1280x800) against real Prosody 0.12 with
// mod_muc + mod_muc_mam, other occupants as Node @xmpp/client users: create a members-only archived
// room with a name (XEP-0045 §10.1), a refused creation (restrict_room_creation) keeping what was typed,
// invite a contact (XEP-0249, member first), rename (§10.2), subject (§8.1), nickname change and its
// conflict (§7.6), kick (§8.2) and ban (§9.1) with a reason after a confirmation, roles and
// affiliations in the people list; invitations received as Conversations sends them (direct) and as
// Prosody forwards them (mediated), accepted (joins) or declined (<decline/> to the inviter); being
// kicked says who and why; a password-protected room refuses a wrong password in words and takes the
// right one. Screenshots, WCAG AA contrast and axe in light and dark.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Element, xml } from "@xmpp/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configRequest, configSubmit, parseConfigForm, roomConfigChanges } from "../../web/src/model/stanzas/muc-admin";
import { joinPresence } from "../../web/src/model/stanzas/muc-occupancy";
import { ROOT } from "../support/process";
import { type ChatRig, openMenu, type Peer, startChatRig, startPeer, WAIT } from "./chat-support";
import { shootBothSchemes } from "./contrast-support";

const SHOTS = join(ROOT, "test-results", "room-admin");
const MUC_USER = "http://jabber.org/protocol/muc#user";
const codes = (el: Element) => (el.getChild("x", MUC_USER)?.getChildren("status") ?? []).map((s) => Number(s.attrs.code));

describe("room administration in the PWA", () => {
  let rig: ChatRig;
  let carol: Peer;
  let page: Page;
  let team = "";
  let den = "";
  let attic = "";

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rig = await startChatRig({ alice: "alice-pw", bob: "bob-pw", carol: "carol-pw" }, WAIT, {
      muc: { conference: {}, locked: { restrict_room_creation: "true" } },
    });
    const d = rig.prosody.domain;
    team = `team@conference.${d}`;
    den = `den@conference.${d}`;
    attic = `attic@conference.${d}`;
    carol = await startPeer(rig.prosody.wsUrl, d, "carol", "carol-pw");
    page = await rig.newPage();
    await page.goto(`${rig.worker.url}/`);
    await page.getByLabel("Address", { exact: true }).fill(rig.alice);
    await page.getByLabel("Password").fill("alice-pw");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("connection").filter({ hasText: "Online" }).waitFor({ timeout: WAIT });
  });
  afterAll(async () => {
    await carol?.xmpp.stop().catch(() => {});
    await rig?.stop();
  });

  const createForm = () => page.getByRole("form", { name: "Create a room" });
  const openRoom = async (jid: string) => {
    const room = page.locator(`section.room[data-jid="${jid}"]`);
    if (!(await room.isVisible())) await page.locator(`button.room-row__open[data-jid="${jid}"]`).click({ timeout: WAIT });
    await room.waitFor({ timeout: WAIT });
  };
  const roomMenu = async (item: string) => {
    await openMenu(page, "Room options");
    await page.getByRole("button", { name: item, exact: true }).click();
  };
  const showPeople = async () => {
    if (!(await page.locator("#room-people").isVisible()))
      await page.getByRole("button", { name: /\d+ (person|people)/ }).click();
  };
  const bobJoins = async (room: string) => {
    const mark = rig.bob.received.length;
    await rig.bob.xmpp.send(joinPresence(room, "bob"));
    const self = await rig.bob.waitFor(
      `in ${room}`,
      (el) => rig.bob.received.indexOf(el) >= mark && el.is("presence") && el.attrs.from === `${room}/bob`,
    );
    return self;
  };

  it("refuses a creation the service does not allow, keeping what was typed", async () => {
    await page.getByText("Create a room", { exact: true }).click();
    await createForm().getByLabel("New room's address").fill(`nope@locked.${rig.prosody.domain}`);
    await createForm().getByLabel("Room name").fill("Nope");
    await createForm().getByRole("button", { name: "Create" }).click();
    await expect
      .poll(() => page.getByTestId("create-problem").textContent(), { timeout: WAIT })
      .toBe("This server does not allow you to create rooms. Join an existing room instead.");
    expect(await createForm().getByLabel("New room's address").inputValue()).toBe(`nope@locked.${rig.prosody.domain}`);
    expect(await createForm().getByLabel("Room name").inputValue()).toBe("Nope");
    await shootBothSchemes(page, join(SHOTS, "create-refused-360"));
  });

  it("creates a members-only, archived room with its name; Prosody has that configuration", async () => {
    await createForm().getByLabel("New room's address").fill(team);
    await createForm().getByLabel("Room name").fill("Team");
    await createForm().getByRole("button", { name: "Create" }).click();
    const name = page.locator(`button.room-row__open[data-jid="${team}"] .room-row__name`);
    await expect
      .poll(
        async () =>
          (await name.count())
            ? name.textContent()
            : page
                .getByTestId("create-problem")
                .textContent()
                .catch(() => ""),
        {
          timeout: WAIT,
        },
      )
      .toBe("Team");
    // carol cannot get in: members-only
    const mark = carol.received.length;
    await carol.xmpp.send(joinPresence(team, "carol"));
    const refusal = await carol.waitFor(
      "refusal",
      (el) => carol.received.indexOf(el) >= mark && el.is("presence") && el.attrs.type === "error",
    );
    expect(refusal.getChild("error")?.getChild("registration-required", "urn:ietf:params:xml:ns:xmpp-stanzas")).toBeTruthy();
  });

  it("invites bob (made a member first); bob gets in and shows as a member", async () => {
    await openRoom(team);
    await roomMenu("Invite a contact");
    await page.getByLabel("Contact's address").fill(rig.bobJid);
    await page.getByLabel("Message with the invitation").fill("planning");
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    const invitation = await rig.bob.waitFor("invitation", (el) => el.getChild("x", "jabber:x:conference")?.attrs.jid === team);
    expect(invitation.getChild("x", "jabber:x:conference")?.attrs.reason).toBe("planning");
    const self = await bobJoins(team);
    expect(self.attrs.type).toBeUndefined();
    await showPeople();
    const bobRow = page.locator('#room-people li.occupant[data-nick="bob"]');
    await expect.poll(() => bobRow.textContent(), { timeout: WAIT }).toContain("member");
    expect(await page.locator('#room-people li.occupant[data-nick="alice"]').textContent()).toContain("owner");
  });

  it("renames the room and sets its subject; bob sees the subject", async () => {
    await roomMenu("Rename room");
    await page.getByRole("form", { name: "Rename the room" }).getByLabel("Room name").fill("Team A");
    await page.getByRole("button", { name: "Rename", exact: true }).click();
    await expect
      .poll(() => page.locator(`section.room[data-jid="${team}"] .chat__name`).textContent(), { timeout: WAIT })
      .toBe("Team A");
    await roomMenu("Change subject");
    await page.getByLabel("Subject", { exact: true }).fill("Friday <b>plans</b>");
    await page.getByRole("button", { name: "Set subject" }).click();
    await expect.poll(() => page.getByTestId("room-subject").textContent(), { timeout: WAIT }).toBe("Friday <b>plans</b>");
    await rig.bob.waitFor("subject", (el) => el.getChildText("subject") === "Friday <b>plans</b>");
  });

  it("refuses a nickname in use, keeping it typed; a free one is taken", async () => {
    await roomMenu("Change nickname");
    await page.getByLabel("New nickname").fill("bob");
    await page.getByRole("button", { name: "Change", exact: true }).click();
    await expect
      .poll(() => page.getByTestId("room-admin-problem").textContent(), { timeout: WAIT })
      .toBe("That nickname is already in use in this room. Choose another one.");
    expect(await page.getByLabel("New nickname").inputValue()).toBe("bob");
    await page.getByLabel("New nickname").fill("ally");
    await page.getByRole("button", { name: "Change", exact: true }).click();
    await rig.bob.waitFor("303", (el) => el.attrs.from === `${team}/alice` && codes(el).includes(303));
    await page.locator('#room-people li.occupant[data-nick="ally"]').waitFor({ timeout: WAIT });
    expect(await page.locator('#room-people li.occupant[data-nick="ally"]').textContent()).toContain("(you)");
  });

  it("kicks bob with a reason after a confirmation, then bans him on his return", async () => {
    await page.getByRole("button", { name: "Remove bob" }).click();
    await page.getByLabel("Reason (optional)").fill("too loud");
    await page.setViewportSize({ width: 1280, height: 800 });
    await shootBothSchemes(page, join(SHOTS, "kick-confirm-1280"));
    await page.setViewportSize({ width: 360, height: 640 });
    const mark = rig.bob.received.length;
    await page.getByRole("button", { name: "Remove", exact: true }).click();
    const kicked = await rig.bob.waitFor("307", (el) => rig.bob.received.indexOf(el) >= mark && codes(el).includes(307));
    expect(kicked.getChild("x", MUC_USER)?.getChild("item")?.getChildText("reason")).toBe("too loud");
    await bobJoins(team);
    await page.getByRole("button", { name: "Ban bob" }).click({ timeout: WAIT });
    const m2 = rig.bob.received.length;
    await page.getByRole("button", { name: "Ban", exact: true }).click();
    await rig.bob.waitFor("301", (el) => rig.bob.received.indexOf(el) >= m2 && codes(el).includes(301));
    await page.locator('#room-people li.occupant[data-nick="bob"]').waitFor({ state: "detached", timeout: WAIT });
  });

  it("accepts a direct invitation (as Conversations sends it), and is told who kicked it and why", async () => {
    // carol owns "den": created and configured (open room) by Node
    let mark = carol.received.length;
    await carol.xmpp.send(joinPresence(den, "carol"));
    await carol.waitFor("den", (el) => carol.received.indexOf(el) >= mark && codes(el).includes(201));
    const form = parseConfigForm(await carol.xmpp.iqCaller.request(configRequest(den)));
    await carol.xmpp.iqCaller.request(
      configSubmit(den, form, roomConfigChanges({ name: "Den", membersOnly: false, persistent: true })),
    );
    // Conversations' MessageGenerator.directInvite: type normal, only the conference <x/>
    await carol.xmpp.send(
      xml("message", { type: "normal", to: rig.alice }, xml("x", { xmlns: "jabber:x:conference", jid: den })),
    );
    // On a phone the room view covers the contacts, where invitations wait.
    await page.getByRole("button", { name: "Back to contacts" }).click();
    const prompt = page.locator(`li.invitation[data-room="${den}"]`);
    await prompt.waitFor({ timeout: WAIT });
    expect(await prompt.textContent()).toContain(`carol@${rig.prosody.domain} invites you to ${den}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await shootBothSchemes(page, join(SHOTS, "invitation-1280"));
    await page.setViewportSize({ width: 360, height: 640 });
    mark = carol.received.length;
    await prompt.getByRole("button", { name: "Join" }).click();
    await carol.waitFor(
      "alice in den",
      (el) => carol.received.indexOf(el) >= mark && el.is("presence") && el.attrs.from === `${den}/alice`,
    );
    await prompt.waitFor({ state: "detached", timeout: WAIT });
    await carol.xmpp.iqCaller.request(
      xml(
        "iq",
        { type: "set", to: den },
        xml(
          "query",
          { xmlns: "http://jabber.org/protocol/muc#admin" },
          xml("item", { nick: "alice", role: "none" }, xml("reason", {}, "wrong room")),
        ),
      ),
    );
    await openRoom(den);
    await expect
      .poll(() => page.getByTestId("room-status").textContent(), { timeout: WAIT })
      .toContain("You were removed by carol. Reason: wrong room");
  });

  it("declines a mediated invitation: the inviter gets the <decline/>", async () => {
    let mark = carol.received.length;
    await carol.xmpp.send(joinPresence(attic, "carol"));
    await carol.waitFor("attic", (el) => carol.received.indexOf(el) >= mark && codes(el).includes(201));
    await carol.xmpp.iqCaller.request(configSubmit(attic, null));
    await carol.xmpp.send(
      xml(
        "message",
        { to: attic },
        xml("x", { xmlns: MUC_USER }, xml("invite", { to: rig.alice }, xml("reason", {}, "come up"))),
      ),
    );
    const back = page.getByRole("button", { name: "Back to contacts" });
    if (await back.isVisible()) await back.click();
    const prompt = page.locator(`li.invitation[data-room="${attic}"]`);
    await prompt.waitFor({ timeout: WAIT });
    // Prosody hides carol's real JID here (semi-anonymous): the invitation names her occupant JID.
    expect(await prompt.textContent()).toContain("carol (in the room) invites you");
    expect(await prompt.textContent()).toContain("“come up”");
    mark = carol.received.length;
    await prompt.getByRole("button", { name: "Decline" }).click();
    const decline = await carol.waitFor(
      "decline",
      (el) => carol.received.indexOf(el) >= mark && !!el.getChild("x", MUC_USER)?.getChild("decline"),
    );
    expect(decline.getChild("x", MUC_USER)?.getChild("decline")?.attrs.from).toMatch(new RegExp(`^${rig.alice}/`));
    // the declined invitation is gone from the prompt
    expect(rig.errors).toEqual([]);
  });

  it("joins a password-protected room: a wrong password is refused in words with the form kept, the right one gets in", async () => {
    // carol owns "vault", protected by a password (XEP-0045 §10.1.3, muc#roomconfig_roomsecret)
    const vault = `vault@conference.${rig.prosody.domain}`;
    let mark = carol.received.length;
    await carol.xmpp.send(joinPresence(vault, "carol"));
    await carol.waitFor("vault", (el) => carol.received.indexOf(el) >= mark && codes(el).includes(201));
    const form = parseConfigForm(await carol.xmpp.iqCaller.request(configRequest(vault)));
    await carol.xmpp.iqCaller.request(configSubmit(vault, form, { "muc#roomconfig_roomsecret": "open sesame" }));
    const back = page.getByRole("button", { name: "Back to contacts" });
    if (await back.isVisible()) await back.click();
    const joinForm = page.getByRole("form", { name: "Join a room" });
    if (!(await joinForm.isVisible())) await page.locator("details.join-room > summary").click();
    await joinForm.getByLabel("Room address").fill(vault);
    await joinForm.getByLabel("Nickname").fill("alice");
    await joinForm.getByLabel("Room password").fill("not it");
    await joinForm.getByRole("button", { name: "Join" }).click();
    // §7.2.6: <not-authorized/> for a missing or wrong password
    await expect
      .poll(() => page.getByTestId("join-problem").textContent(), { timeout: WAIT })
      .toBe("Wrong room password. Check it and try again.");
    expect(await joinForm.getByLabel("Room address").inputValue()).toBe(vault);
    expect(await joinForm.getByLabel("Nickname").inputValue()).toBe("alice");
    mark = carol.received.length;
    await joinForm.getByLabel("Room password").fill("open sesame");
    await joinForm.getByRole("button", { name: "Join" }).click();
    await carol.waitFor(
      "alice in vault",
      (el) => carol.received.indexOf(el) >= mark && el.is("presence") && el.attrs.from === `${vault}/alice`,
    );
    await expect.poll(() => page.getByTestId("join-problem").count(), { timeout: WAIT }).toBe(0);
    expect(rig.errors).toEqual([]);
  });
});
