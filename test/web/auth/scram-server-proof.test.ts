// The server's half of SCRAM-SHA-1 (RFC 5802 §5.1: the client MUST verify "v=" in the
// server-final-message). First the mechanism against RFC 5802 §5's worked example, then the real
// xmpp.js client of xmpp-client.ts through the facade against a small WebSocket XMPP server
// (support/scram-server.ts) that knows the password, or is an impostor that lets any proof in.
import { afterEach, describe, expect, it } from "vitest";
import { createFacade } from "../../../web/src/app/facade";
import { ScramSha1 } from "../../../web/src/model/auth/scram-sha-1";
import { createXmppEntity } from "../../../web/src/model/xmpp/xmpp-client";
import { receiver } from "../../../web/src/model/xmpp/xmpp-receive";
import { type ScramServer, type ServerProof, startScramServer } from "../support/scram-server";

const NONCE = "fyko+d2lbbFgONRv9qkxdawL";
const SERVER_FIRST = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
const SERVER_FINAL = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";
const cred = { username: "user", password: "pencil" };

async function rfcExchange(credentials: Parameters<ScramSha1["response"]>[0] = cred) {
  const mech = new ScramSha1(NONCE);
  await mech.response(credentials);
  await mech.challenge(SERVER_FIRST);
  await mech.response(credentials);
  return mech;
}

describe("ScramSha1.verifyServer (RFC 5802 §5)", () => {
  it("accepts the RFC's ServerSignature, in <success/> or in a last challenge", async () => {
    (await rfcExchange()).verifyServer(SERVER_FINAL);
    const viaChallenge = await rfcExchange();
    await viaChallenge.challenge(SERVER_FINAL);
    viaChallenge.verifyServer("");
  });

  it("refuses a wrong, missing, malformed or error server-final-message", async () => {
    for (const final of ["v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "", "v=", "e=other-error", "x=1"]) {
      const mech = await rfcExchange();
      expect(() => mech.verifyServer(final), final).toThrow(/could not prove it knows your password/);
    }
    // Before the client's final message there is nothing to check against.
    const early = new ScramSha1(NONCE);
    await early.response(cred);
    expect(() => early.verifyServer(SERVER_FINAL)).toThrow(/could not prove/);
  });

  it("hands out the ServerKey with the ClientKey, and saved keys verify the server without the password", async () => {
    let keys: { salt: string; iterations: number; clientKey: string; serverKey?: string } | undefined;
    await rfcExchange({ ...cred, onScramKeys: (k) => (keys = k) });
    expect(keys?.serverKey).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    const resumed = await rfcExchange({ username: "user", password: "", scram: keys });
    resumed.verifyServer(SERVER_FINAL);
    // Keys saved before the server's proof was checked carry no ServerKey: the password is needed again.
    const old = { ...keys, serverKey: undefined } as typeof keys;
    await expect(rfcExchange({ username: "user", password: "", scram: old })).rejects.toThrow(/no longer matches/);
  });
});

describe("login through the real xmpp.js client", () => {
  let server: ScramServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  async function login(proof: ServerProof, password = "right-pw") {
    server = await startScramServer({ domain: "example.org", username: "alice", password: "right-pw", proof });
    const facade = createFacade({
      createEntity: createXmppEntity,
      receiver,
      location: { protocol: "http:", host: "chat.test" },
      fetch: async () => new Response("", { status: 404 }),
      connectPolicy: async () => null,
      wasBlocked: () => false,
    });
    const heard: string[] = [];
    facade.subscribe("VALID_LOGIN", () => heard.push("VALID_LOGIN"));
    facade.subscribe("INVALID_LOGIN", ({ message }) => heard.push(`INVALID_LOGIN ${message}`));
    facade.subscribe("UNREACHABLE", ({ message }) => heard.push(`UNREACHABLE ${message}`));
    await facade.send("LOGIN", { address: "alice@example.org", password, websocketUrl: server.url });
    await facade.idle();
    return { facade, heard, server };
  }

  it("logs in to a server that proves it knows the password", async () => {
    const { facade, heard, server } = await login("true");
    expect(heard).toEqual(["VALID_LOGIN"]);
    expect(server.sessions).toBe(1);
    expect(server.connections()).toBe(1);
    expect(facade.model.xmpp.saved?.scram.serverKey).toBeTruthy();
    await facade.send("LOGOUT", { clearHistory: false });
  });

  it("ends the session when the server it reconnects to cannot prove it knows the password", async () => {
    const { facade, heard, server } = await login("true");
    // The same address now answers with an impostor (a hijacked DNS name, a rogue proxy).
    server.proof = "wrong";
    server.drop();
    await expect.poll(() => heard.at(-1), { timeout: 10_000 }).toMatch(/^INVALID_LOGIN The server could not prove/);
    expect(heard.at(-1)).toBe(
      "INVALID_LOGIN The server could not prove it knows your password: it may not be your server. Log in again.",
    );
    expect(facade.model.xmpp.state.value).toBe("offline");
    expect(server.sessions).toBe(1);
  });

  for (const proof of ["wrong", "none"] as const) {
    it(`refuses a server whose proof is ${proof === "wrong" ? "wrong" : "missing"}: no session, a clear message`, async () => {
      const { facade, heard, server } = await login(proof, "any password at all");
      expect(heard).toEqual([
        "INVALID_LOGIN The server could not prove it knows your password: it may not be your server. You were not logged in.",
      ]);
      expect(server.sessions).toBe(0);
      // The connection to it is closed, not left open.
      await expect.poll(() => server.connections(), { timeout: 3000 }).toBe(0);
      expect(facade.model.xmpp.state.value).toBe("offline");
      expect(facade.model.xmpp.saved).toBeNull();
    });
  }
});
