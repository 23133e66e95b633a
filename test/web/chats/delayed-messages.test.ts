// Delayed delivery (XEP-0203): a message stamped days ago (an offline message, a late delivery) is
// filed by its stamp among older messages, not at the end by arrival, and shows its date where that
// is not today ("Nov 28, 14:05"), with the year when not this year.
import { xml } from "@xmpp/client";
import { beforeEach, describe, expect, it } from "vitest";
import { messageTime } from "../../../web/src/views/chat/message-time";
import { type TestApp, testApp } from "../support/app";
import { messagesWith } from "../support/messages";

const BOB = "bob@example.org";
/** testApp's clock. */
const NOW = 1_700_000_000_000;
const DAY = 86_400_000;
let app: TestApp;

const incoming = (el: ReturnType<typeof xml>) => {
  app.server.last.receive(el);
  return app.facade.idle();
};
const fromBob = (id: string, body: string, stamp?: number) =>
  xml(
    "message",
    { from: `${BOB}/phone`, type: "chat", id },
    xml("body", {}, body),
    stamp === undefined
      ? null
      : xml("delay", { xmlns: "urn:xmpp:delay", from: "example.org", stamp: new Date(stamp).toISOString() }),
  );

beforeEach(async () => {
  app = testApp();
  await app.login();
});

describe("delayed messages in the thread", () => {
  it("are ordered by their stamp, not by arrival", async () => {
    await incoming(fromBob("t1", "today"));
    await incoming(fromBob("d3", "three days ago", NOW - 3 * DAY));
    await incoming(fromBob("d1", "yesterday", NOW - DAY));
    const thread = messagesWith(app.facade.model.chats, BOB);
    expect(thread.map((m) => m.body)).toEqual(["three days ago", "yesterday", "today"]);
    expect(thread[0]?.at).toBe(NOW - 3 * DAY);
  });
});

describe("messageTime", () => {
  const at = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi).getTime();
  const now = at(2026, 12, 1, 16, 30);
  const clock = (t: number) => new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }).format(t);

  it("shows only the time for today", () => {
    expect(messageTime(at(2026, 12, 1, 0, 5), now)).toBe(clock(at(2026, 12, 1, 0, 5)));
    expect(messageTime(at(2026, 12, 1, 14, 5), now)).toBe(clock(at(2026, 12, 1, 14, 5)));
  });

  it("adds the day and month for another day this year", () => {
    const t = at(2026, 11, 28, 14, 5);
    const s = messageTime(t, now);
    expect(s).not.toBe(clock(t));
    expect(s).toContain(clock(t));
    expect(s).toContain("28");
    expect(s).toContain(new Intl.DateTimeFormat(undefined, { month: "short" }).format(t));
    expect(s).not.toContain("2026");
    // Yesterday late evening is another day too.
    expect(messageTime(at(2026, 11, 30, 23, 59), now)).toContain("30");
  });

  it("adds the year for another year", () => {
    expect(messageTime(at(2025, 12, 1, 16, 30), now)).toContain("2025");
  });
});
