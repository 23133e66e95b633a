// The facade: typed notifications reach observers, then the mapped command; failures become COMMAND_FAILED.
import { describe, expect, it } from "vitest";
import { Facade } from "../../../web/src/app/facade";
import { receiver } from "../../../web/src/model/xmpp/xmpp-receive";
import { FakeServer } from "../support/fake-server";

const make = () =>
  new Facade({ createEntity: new FakeServer().createEntity, receiver, location: { protocol: "http:", host: "t" } });

describe("Facade", () => {
  it("notifies observers before running the mapped command, with the body", async () => {
    const facade = make();
    const order: string[] = [];
    facade.subscribe("OPEN_CHAT", ({ jid }) => order.push(`observer ${jid}`));
    facade.registerCommand("OPEN_CHAT", async ({ jid }) => {
      order.push(`command ${jid}`);
    });
    await facade.send("OPEN_CHAT", { jid: "bob@x" });
    expect(order).toEqual(["observer bob@x", "command bob@x"]);
  });

  it("stops notifying after unsubscribe", async () => {
    const facade = make();
    let n = 0;
    const off = facade.subscribe("CLOSE_CHAT", () => n++);
    await facade.send("CLOSE_CHAT");
    off();
    await facade.send("CLOSE_CHAT");
    expect(n).toBe(1);
  });

  it("turns a failing command into COMMAND_FAILED and never rejects", async () => {
    const facade = make();
    const failures: unknown[] = [];
    facade.subscribe("COMMAND_FAILED", (f) => failures.push(f));
    facade.registerCommand("REMOVE_CONTACT", () => {
      throw new Error("nope");
    });
    await expect(facade.send("REMOVE_CONTACT", { jid: "x@y" })).resolves.toBeUndefined();
    expect(failures).toEqual([{ command: "REMOVE_CONTACT", message: "nope" }]);
  });

  it("keeps notifying other observers when one throws", async () => {
    const facade = make();
    let reached = false;
    facade.subscribe("CLOSE_CHAT", () => {
      throw new Error("bad observer");
    });
    facade.subscribe("CLOSE_CHAT", () => {
      reached = true;
    });
    const error = console.error;
    console.error = () => {};
    await facade.send("CLOSE_CHAT");
    console.error = error;
    expect(reached).toBe(true);
  });

  it("idle() waits for commands started by notifications meanwhile", async () => {
    const facade = make();
    const done: string[] = [];
    facade.registerCommand("OPEN_CHAT", async () => {
      void facade.send("CLOSE_CHAT");
      done.push("open");
    });
    facade.registerCommand("CLOSE_CHAT", async () => {
      await new Promise((r) => setTimeout(r, 1));
      done.push("close");
    });
    void facade.send("OPEN_CHAT", { jid: "a@b" });
    await facade.idle();
    expect(done).toEqual(["open", "close"]);
  });
});
