/**
 * The day separators of a chat log: "Today", "Yesterday", else the weekday and date ("Monday,
 * November 28"), with the year when it is not this year. Days are the reader's calendar days (locale
 * and time zone), so two devices in the same zone agree.
 */
const weekdayDate = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });
const fullDate = new Intl.DateTimeFormat(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" });

/** The local calendar day of a time, as a comparable key. */
export function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function dayLabel(at: number, now = Date.now()): string {
  if (dayKey(at) === dayKey(now)) return "Today";
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (dayKey(at) === dayKey(yesterday.getTime())) return "Yesterday";
  return (new Date(at).getFullYear() === new Date(now).getFullYear() ? weekdayDate : fullDate).format(at);
}

/** Whether two neighbouring messages read as one group: same side, same minute, same day. */
export function sameGroup(a: { direction: string; at: number }, b: { direction: string; at: number }): boolean {
  return a.direction === b.direction && Math.floor(a.at / 60_000) === Math.floor(b.at / 60_000);
}
