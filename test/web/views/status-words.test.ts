// What the app bar and the contact list call each state (web/src/app/connection-word.ts,
// web/src/views/presence.ts): each state has one name, and the bar never claims a connection the
// device cannot have.
import { describe, expect, it } from "vitest";
import { connectionWord } from "../../../web/src/app/connection-word";
import { MY_SHOW_WORD, PRESENCE_LABEL, PRESENCE_WORD } from "../../../web/src/views/presence";

describe("connectionWord", () => {
  it("says 'Not signed in' before any login, never 'Offline' (a contact's state)", () => {
    expect(connectionWord("offline", "available", true)).toMatchObject({ label: "Not signed in", tone: "offline" });
  });

  it("while connected, names my own presence with the words of the availability choices", () => {
    expect(connectionWord("online", "available", true)).toMatchObject({ label: "Online", presence: "available" });
    expect(connectionWord("online", "away", true)).toMatchObject({ label: "Away", presence: "away" });
    expect(connectionWord("online", "dnd", true)).toMatchObject({ label: "Do not disturb", presence: "busy" });
  });

  it("without a network says so, even while the session has not noticed yet", () => {
    for (const state of ["online", "reconnecting"] as const)
      expect(connectionWord(state, "dnd", false)).toEqual({
        label: "Reconnecting…",
        detail: "No network",
        tone: "reconnecting",
        presence: null,
      });
    expect(connectionWord("reconnecting", "available", true)).toMatchObject({ label: "Reconnecting…", detail: null });
    expect(connectionWord("connecting", "available", true)).toMatchObject({ label: "Connecting…" });
  });
});

describe("presence words", () => {
  it("name each state once: dnd is 'Do not disturb' everywhere, never also 'busy'", () => {
    const labels = Object.values(PRESENCE_LABEL);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual(["Online", "Away", "Do not disturb", "Offline"]);
    expect(PRESENCE_LABEL[PRESENCE_WORD.dnd]).toBe("Do not disturb");
    expect(PRESENCE_LABEL[MY_SHOW_WORD.dnd]).toBe(PRESENCE_LABEL[PRESENCE_WORD.dnd]);
    expect(PRESENCE_LABEL[PRESENCE_WORD.chat]).toBe(PRESENCE_LABEL[MY_SHOW_WORD.available]);
    expect(PRESENCE_LABEL[PRESENCE_WORD.xa]).toBe("Away");
  });
});
