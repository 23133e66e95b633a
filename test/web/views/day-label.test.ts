// Day separators and message groups of the chat log (views/chat/day-label.ts).
import { describe, expect, it } from "vitest";
import { dayKey, dayLabel, sameGroup } from "../../../web/src/views/chat/day-label";

const at = (y: number, m: number, d: number, h = 12, min = 0, s = 0) => new Date(y, m - 1, d, h, min, s).getTime();
const NOW = at(2026, 12, 1, 10, 30);

describe("dayLabel", () => {
  it("says Today and Yesterday by the reader's calendar, not by 24-hour spans", () => {
    expect(dayLabel(at(2026, 12, 1, 0, 0, 1), NOW)).toBe("Today");
    expect(dayLabel(at(2026, 11, 30, 23, 59), NOW)).toBe("Yesterday");
    expect(dayLabel(at(2026, 11, 30, 0, 1), NOW)).toBe("Yesterday");
    expect(dayLabel(at(2026, 11, 29, 23, 59), NOW)).not.toBe("Yesterday");
  });

  it("names older days with their weekday and date, and the year only when it is another year", () => {
    const thisYear = dayLabel(at(2026, 11, 27), NOW);
    expect(thisYear).toBe(
      new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" }).format(at(2026, 11, 27)),
    );
    expect(thisYear).not.toContain("2026");
    expect(dayLabel(at(2025, 12, 31), NOW)).toContain("2025");
  });

  it("keys days by calendar date", () => {
    expect(dayKey(at(2026, 12, 1, 0, 0))).toBe(dayKey(at(2026, 12, 1, 23, 59)));
    expect(dayKey(at(2026, 12, 1, 23, 59))).not.toBe(dayKey(at(2026, 12, 2, 0, 0)));
  });
});

describe("sameGroup", () => {
  it("groups neighbours from the same side within the same minute", () => {
    expect(
      sameGroup({ direction: "in", at: at(2026, 12, 1, 10, 0, 1) }, { direction: "in", at: at(2026, 12, 1, 10, 0, 59) }),
    ).toBe(true);
    expect(
      sameGroup({ direction: "in", at: at(2026, 12, 1, 10, 0, 59) }, { direction: "in", at: at(2026, 12, 1, 10, 1, 0) }),
    ).toBe(false);
    expect(sameGroup({ direction: "in", at: at(2026, 12, 1, 10, 0) }, { direction: "out", at: at(2026, 12, 1, 10, 0) })).toBe(
      false,
    );
  });
});
