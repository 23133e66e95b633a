/**
 * A message's time as the log shows it: "14:05" today; "Nov 28, 14:05" on another day (a delayed or
 * offline message, XEP-0203, or older history), with the year when it is not this year. In the
 * reader's locale and time zone.
 */
const HM = { hour: "2-digit", minute: "2-digit" } as const;
const time = new Intl.DateTimeFormat(undefined, HM);
const dayTime = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", ...HM });
const yearDayTime = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", ...HM });

export function messageTime(at: number, now = Date.now()): string {
  const day = new Date(at);
  const today = new Date(now);
  if (day.toDateString() === today.toDateString()) return time.format(at);
  return (day.getFullYear() === today.getFullYear() ? dayTime : yearDayTime).format(at);
}
