// How `npm test` runs the end-to-end files within its time budget on 2 cores: most files run in two
// lanes side by side (each lane one file at a time; every file starts its own servers on free ports and
// serves a copy of web/dist, so no file sees another's), then the files whose figures depend on a quiet
// machine run alone: Lighthouse's performance score, the real RTMPT clients' streams, whose
// connections must close within seconds of their clients ending, and the room history's same-second
// order after a tab closed at once (a race between the device history and the room's archive, seen
// once beside a lane; README "Group chat").
import { readdirSync } from "node:fs";

/** Run one at a time after the lanes, with nothing beside them. */
export const QUIET = [
  "lighthouse.test.ts",
  "rtmpt-clients.test.ts",
  "rtmpt-clients-proxy.test.ts",
  "live-watch.test.ts",
  "pwa-rooms-private.test.ts",
];

/**
 * Seconds each file took (setup included) in a full run on this machine; a file not listed counts as
 * WEIGHT_UNKNOWN. Only the balance of the two lanes depends on these.
 */
const WEIGHTS = {
  "xmpp-edge.test.ts": 89,
  "live-flv.test.ts": 58,
  "rtmpt-proxy.test.ts": 43,
  "first-start.test.ts": 33,
  "rtmpt-proxy-chain.test.ts": 31,
  "pwa-chat-live.test.ts": 30,
  "rtmpt-gateway.test.ts": 30,
  "push-prosody.test.ts": 24,
  "pwa-layout.test.ts": 21,
  "pwa-rooms-private.test.ts": 17,
  "faults.test.ts": 17,
  "pwa-rooms-ejabberd.test.ts": 18,
  "pwa-chat-offline.test.ts": 16,
  "rate-limit.test.ts": 16,
  "pwa-shell-update.test.ts": 17,
  "pwa-login.test.ts": 15,
  "pwa-chat.test.ts": 16,
  "pwa-rooms.test.ts": 13,
  "xmpp-edge-prosody.test.ts": 14,
  "pwa-contacts.test.ts": 14,
  "pwa-chat-rich.test.ts": 13,
  "pwa-files-ejabberd.test.ts": 13,
  "pwa-room-admin.test.ts": 13,
  "pwa-files.test.ts": 12,
  "pwa-settings.test.ts": 12,
  "pwa-chat-resume.test.ts": 11,
  "live-webcast.test.ts": 11,
  "pwa-chat-older.test.ts": 13,
};
const WEIGHT_UNKNOWN = 8;

/** The end-to-end files: two balanced lanes (heaviest first, each to the lighter lane) and the quiet ones. */
export function e2eLanes(dir) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts"))
    .sort();
  const quiet = QUIET.filter((f) => files.includes(f));
  const rest = files
    .filter((f) => !quiet.includes(f))
    .map((f) => ({ f, w: WEIGHTS[f] ?? WEIGHT_UNKNOWN }))
    .sort((a, b) => b.w - a.w || a.f.localeCompare(b.f));
  const lanes = [
    { files: [], load: 0 },
    { files: [], load: 0 },
  ];
  for (const { f, w } of rest) {
    const lane = lanes[0].load <= lanes[1].load ? lanes[0] : lanes[1];
    lane.files.push(f);
    lane.load += w;
  }
  return { lanes: lanes.map((l) => l.files), quiet };
}
