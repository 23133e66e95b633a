// The floors of running catch-ups (web/src/model/chats/catch-up-floors.ts) on their own: a time less
// than one archive second below a floor takes the floor's time; a read's scope is its room, else my
// own archive ("*"); overlapping reads of one scope keep the latest floor until the last ends; what a
// read met is forgotten with the read.
import { describe, expect, it } from "vitest";
import { CatchUpFloors } from "../../../web/src/model/chats/catch-up-floors";

const ROOM = "lobby@conference.example.org";
const BOB = "bob@example.org";
const T = 1_700_000_000_000;

describe("CatchUpFloors", () => {
  it("lifts only a time less than a whole second below the floor", () => {
    const f = new CatchUpFloors();
    f.start(ROOM, T);
    expect(f.place(ROOM, T - 999)).toBe(T);
    expect(f.place(ROOM, T - 1000)).toBe(T - 1000);
    expect(f.place(ROOM, T + 5)).toBe(T + 5);
    expect(f.place(BOB, T - 400)).toBe(T - 400);
  });

  it("applies my own archive's read to every conversation without a read of its own", () => {
    const f = new CatchUpFloors();
    f.start("*", T);
    expect(f.place(BOB, T - 400)).toBe(T);
    f.start(ROOM, T - 5000);
    expect(f.place(ROOM, T - 400)).toBe(T - 400);
  });

  it("keeps the latest start of overlapping reads of one scope, until the last ends", () => {
    const f = new CatchUpFloors();
    f.start(ROOM, T);
    f.start(ROOM, T + 500);
    expect(f.place(ROOM, T + 200)).toBe(T + 500);
    f.end(ROOM);
    expect(f.place(ROOM, T + 200)).toBe(T + 500);
    f.end(ROOM);
    expect(f.place(ROOM, T + 200)).toBe(T + 200);
  });

  it("raises a conversation's floor to what the read met, and forgets it with that read", () => {
    const f = new CatchUpFloors();
    f.start("*", Number.NEGATIVE_INFINITY);
    f.met(BOB, T + 700);
    f.met(BOB, T + 100);
    expect(f.place(BOB, T)).toBe(T + 700);
    f.start(ROOM, Number.NEGATIVE_INFINITY);
    f.met(ROOM, T + 300);
    f.end("*");
    expect(f.place(ROOM, T)).toBe(T + 300);
    f.start("*", Number.NEGATIVE_INFINITY);
    expect(f.place(BOB, T)).toBe(T);
  });

  it("notes nothing while no read runs", () => {
    const f = new CatchUpFloors();
    f.met(BOB, T + 700);
    f.start(BOB, Number.NEGATIVE_INFINITY);
    expect(f.place(BOB, T)).toBe(T);
  });
});
