/**
 * Seeds a Prosody 0.12 roster on disk for benchmarks (as test/e2e/pwa-chat-roster.test.ts does): internal
 * storage keeps data/<host>/roster/<user>.dat as a Lua table (util.serialization), read at login.
 * Contacts are user0001@domain … with names "Contact 0001" …; call before the user first logs in.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProsodyServer } from "../support/prosody";

export const pad = (i: number) => String(i).padStart(4, "0");

export function seedRoster(prosody: ProsodyServer, user: string, contacts: number): void {
  const dir = join(prosody.dir, "data", encodeURIComponent(prosody.domain), "roster");
  mkdirSync(dir, { recursive: true });
  const lines = ["return {", '\t[false] = { ["pending"] = {}; ["version"] = 1; };'];
  for (let i = 1; i <= contacts; i++) {
    lines.push(
      `\t["user${pad(i)}@${prosody.domain}"] = { ["groups"] = {}; ["subscription"] = "none"; ["name"] = "Contact ${pad(i)}"; };`,
    );
  }
  lines.push("};", "");
  writeFileSync(join(dir, `${user}.dat`), lines.join("\n"));
}
