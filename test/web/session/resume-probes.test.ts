// After a resumed stream (XEP-0198) the server sends no presences again (web/src/commands/session/start-session.ts):
// the page asks for the current presence of each contact whose presence I may see (RFC 6121 §4.3:
// subscription "to" or "both"), and of no one else (a probe to anyone else is refused, §4.3.1).
import { beforeEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../support/app";

let app: TestApp;
const probes = () => app.server.last.sent.map(String).filter((s) => s.includes('type="probe"'));

beforeEach(async () => {
  app = testApp();
  app.server.roster = [
    ["to@example.org", "", "to"],
    ["from@example.org", "", "from"],
    ["both@example.org", "", "both"],
    ["none@example.org", "", "none"],
  ];
  await app.login();
  app.server.last.sent.length = 0;
});

describe("presence probes after a resumption", () => {
  it("probes the contacts whose presence I may see, once each", async () => {
    const entity = app.server.last;
    entity.drop();
    entity.handlers.status("online");
    entity.handlers.online(entity.fullJid, true);
    await app.facade.idle();
    expect(probes()).toEqual(['<presence type="probe" to="to@example.org"/>', '<presence type="probe" to="both@example.org"/>']);
  });

  it("sends no probe after a fresh (not resumed) reconnection: the server sends presences itself", async () => {
    app.server.last.drop();
    app.server.last.reconnect();
    await app.facade.idle();
    expect(probes()).toEqual([]);
  });
});
