// SCRAM-SHA-1's server proof (RFC 5802 §5.1) against real Prosody: the xmpp.js client of
// xmpp-client.ts, run in Node through the facade, logs in with the password (Prosody's "v=" checks
// out) and resumes with the saved keys alone (the saved ServerKey checks Prosody's proof without the
// password). The impostor case is in test/web/scram-server-proof.test.ts (Prosody cannot be one).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacade, type Facade } from "../../web/src/app/facade";
import type { SavedSession } from "../../web/src/model/device/history-store";
import { createXmppEntity } from "../../web/src/model/xmpp/xmpp-client";
import { receiver } from "../../web/src/model/xmpp/xmpp-receive";
import { type ProsodyServer, startProsody } from "../support/prosody";

const PASSWORD = "pässwörd-proof";

function facade(): { facade: Facade; heard: string[] } {
  const f = createFacade({
    createEntity: createXmppEntity,
    receiver,
    location: { protocol: "http:", host: "chat.test" },
    fetch: async () => new Response("", { status: 404 }),
    connectPolicy: async () => null,
    wasBlocked: () => false,
  });
  const heard: string[] = [];
  f.subscribe("VALID_LOGIN", () => heard.push("VALID_LOGIN"));
  f.subscribe("ONLINE", () => heard.push("ONLINE"));
  f.subscribe("INVALID_LOGIN", ({ message }) => heard.push(`INVALID_LOGIN ${message}`));
  f.subscribe("UNREACHABLE", ({ message }) => heard.push(`UNREACHABLE ${message}`));
  return { facade: f, heard };
}

describe("SCRAM server proof against Prosody", () => {
  let prosody: ProsodyServer;
  let saved: SavedSession | null = null;

  beforeAll(async () => {
    prosody = await startProsody({ users: { alice: PASSWORD } });
  });
  afterAll(async () => {
    await prosody?.stop();
  });

  it("logs in with the password: Prosody proves it knows it", async () => {
    const { facade: f, heard } = facade();
    await f.send("LOGIN", { address: `alice@${prosody.domain}`, password: PASSWORD, websocketUrl: prosody.wsUrl });
    await f.idle();
    expect(heard).toEqual(["VALID_LOGIN", "ONLINE"]);
    saved = f.model.xmpp.saved;
    expect(saved?.scram.serverKey).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    await f.send("LOGOUT", { clearHistory: false });
  });

  it("resumes with the saved keys alone: the saved ServerKey checks Prosody's proof", async () => {
    expect(saved).not.toBeNull();
    const { facade: f, heard } = facade();
    await f.model.xmpp.resume(saved as SavedSession);
    await expect.poll(() => f.model.xmpp.state.value, { timeout: 20_000 }).toBe("online");
    expect(heard.filter((h) => h.startsWith("INVALID"))).toEqual([]);
    await f.send("LOGOUT", { clearHistory: false });
  });

  it("a wrong password is still just a wrong password", async () => {
    const { facade: f, heard } = facade();
    await f.send("LOGIN", { address: `alice@${prosody.domain}`, password: "wrong", websocketUrl: prosody.wsUrl });
    await f.idle();
    expect(heard).toEqual(["INVALID_LOGIN Wrong address or password."]);
  });
});
