import { describe, expect, it } from "vitest";
import { nextUpdate, type UpdateEvent, type UpdateState } from "../../../web/src/pwa/update-state";

function run(events: UpdateEvent[], from: UpdateState = "current") {
  let state = from;
  const effects: string[] = [];
  for (const e of events) {
    const step = nextUpdate(state, e);
    state = step.state;
    if (step.effect) effects.push(step.effect);
  }
  return { state, effects };
}

describe("update flow", () => {
  it("offers a waiting version and changes nothing until the user accepts", () => {
    expect(run([{ type: "waiting" }])).toEqual({ state: "available", effects: [] });
  });

  it("on accept asks the waiting worker to activate, then reloads once it controls the page", () => {
    const accepted = run([{ type: "waiting" }, { type: "accept" }]);
    expect(accepted).toEqual({ state: "applying", effects: ["skip-waiting"] });
    expect(run([{ type: "controlling", isUpdate: true }], accepted.state)).toEqual({ state: "applying", effects: ["reload"] });
  });

  it("never reloads by itself when another tab activates the new version", () => {
    const r = run([{ type: "waiting" }, { type: "controlling", isUpdate: true }]);
    expect(r).toEqual({ state: "activated-elsewhere", effects: [] });
    expect(run([{ type: "accept" }], r.state)).toEqual({ state: "activated-elsewhere", effects: ["reload"] });
  });

  it("ignores the first install taking control, and accepts without an offer", () => {
    expect(run([{ type: "controlling", isUpdate: false }])).toEqual({ state: "current", effects: [] });
    expect(run([{ type: "accept" }])).toEqual({ state: "current", effects: [] });
  });

  it("hides the offer on dismiss and shows it again for the next waiting version", () => {
    expect(run([{ type: "waiting" }, { type: "dismiss" }])).toEqual({ state: "current", effects: [] });
    expect(run([{ type: "waiting" }, { type: "dismiss" }, { type: "waiting" }]).state).toBe("available");
  });

  it("asks for skip-waiting only once, even if accepted twice or another version appears meanwhile", () => {
    const r = run([{ type: "waiting" }, { type: "accept" }, { type: "accept" }, { type: "waiting" }, { type: "dismiss" }]);
    expect(r).toEqual({ state: "applying", effects: ["skip-waiting"] });
  });
});
