// Client state indication (XEP-0352) as set-client-state.ts and start-session.ts send it: only when
// the server advertised urn:xmpp:csi:0, only on a change, again after each new stream when hidden.
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";

let app: TestApp;
const csi = () => app.server.entities.flatMap((e) => e.sent.map(String)).filter((s) => s.includes("urn:xmpp:csi:0"));
const setActive = async (active: boolean) => {
  await app.facade.send("SET_CLIENT_STATE", { active });
  await app.facade.idle();
};

beforeEach(() => {
  app = testApp();
});

describe("client state indication", () => {
  it("sends inactive when hidden and active when visible again, once per change", async () => {
    app.server.streamFeatures = new Set(["urn:xmpp:csi:0"]);
    await app.login();
    await setActive(false);
    await setActive(false);
    await setActive(true);
    expect(csi()).toEqual(['<inactive xmlns="urn:xmpp:csi:0"/>', '<active xmlns="urn:xmpp:csi:0"/>']);
  });

  it("sends nothing when the server does not advertise CSI", async () => {
    await app.login();
    await setActive(false);
    await setActive(true);
    expect(csi()).toEqual([]);
  });

  it("a page hidden at login (or at a reconnection) says inactive on the new stream", async () => {
    app.server.streamFeatures = new Set(["urn:xmpp:csi:0"]);
    await setActive(false);
    await app.login();
    expect(csi()).toEqual(['<inactive xmlns="urn:xmpp:csi:0"/>']);
    app.server.last.drop();
    app.server.last.reconnect();
    await app.facade.idle();
    expect(csi()).toEqual(['<inactive xmlns="urn:xmpp:csi:0"/>', '<inactive xmlns="urn:xmpp:csi:0"/>']);
  });
});
