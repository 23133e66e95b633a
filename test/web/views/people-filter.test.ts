// The room's people list (web/src/views/room/people-filter.ts): a nickname filter, any case, and at most
// SHOWN_PEOPLE rows rendered whatever the room's size, the rest counted; by role, then nickname.
import { describe, expect, it } from "vitest";
import type { Occupant } from "../../../web/src/model/rooms/rooms-proxy";
import { SHOWN_PEOPLE, visiblePeople } from "../../../web/src/views/room/people-filter";

const people = (n: number): Occupant[] =>
  Array.from({ length: n }, (_, i) => ({
    nick: `occ${String(i).padStart(4, "0")}`,
    role: "participant",
    affiliation: "none",
    jid: null,
  }));

describe("people list filter", () => {
  it("shows at most SHOWN_PEOPLE of a big room and counts the rest", () => {
    const { shown, more } = visiblePeople(people(1001), "");
    expect(shown).toHaveLength(SHOWN_PEOPLE);
    expect(more).toBe(1001 - SHOWN_PEOPLE);
    expect(shown[0]?.nick).toBe("occ0000");
  });

  it("keeps the nicknames containing the query, any case, trimmed", () => {
    expect(visiblePeople(people(1001), " OCC0999 ").shown.map((o) => o.nick)).toEqual(["occ0999"]);
    const tens = visiblePeople(people(1001), "occ099");
    expect(tens.shown.map((o) => o.nick)).toEqual(Array.from({ length: 10 }, (_, i) => `occ099${i}`));
    expect(tens.more).toBe(0);
    expect(visiblePeople(people(5), "bob")).toEqual({ shown: [], more: 0 });
  });

  it("orders by role, moderators first, then nickname", () => {
    const mixed: Occupant[] = [
      { nick: "zed", role: "participant", affiliation: "none", jid: null },
      { nick: "Amy", role: "visitor", affiliation: "none", jid: null },
      { nick: "bob", role: "moderator", affiliation: "owner", jid: null },
      { nick: "al", role: "participant", affiliation: "member", jid: null },
    ];
    expect(visiblePeople(mixed, "").shown.map((o) => o.nick)).toEqual(["bob", "al", "zed", "Amy"]);
  });
});
