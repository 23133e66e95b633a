/**
 * Seeds a big room for the room benchmark on a real Prosody 0.12 (mod_muc + mod_muc_mam), on disk before
 * it starts, in the files its internal storage reads (the same a running Prosody writes, as seen with
 * 0.12.x on Debian):
 * - `config/<room>.dat`: the room's frozen configuration (muc.lib.lua room_mt:freeze, new format: `_jid`,
 *   `_data`, affiliations by bare JID);
 * - `state/<room>.dat`: its live occupants, which mod_muc keeps when it swaps a room out of memory
 *   (room_save with savestate) and restore_room brings back on the next stanza to the room: per
 *   occupant, `room/nick` → {bare_jid, role, jid} and the real JID → its presence (from = room/nick);
 * - `muc_log/<room>.list`: the room's archive (mod_storage_internal archive:append items, one
 *   `item({...});` each: the stanza as util.stanza preserialize leaves it, plus key, when, with).
 * Sending the same over XMPP is quadratic (every join is broadcast to every occupant: 1,000 joins are
 * ~1 M presences) and mod_muc_mam appends one message per write: minutes, against ~1 s here.
 * The occupants' real JIDs are on a component domain (`occ0001@bots.<domain>/bench`): connectComponent
 * keeps that component connected while the benchmark runs, so what the room sends them (the
 * benchmarked user's join) is delivered, not bounced (a bounced presence error would remove them).
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface ComponentLink {
  send: (xml: string) => void;
  /** Sends an iq and waits until its answer (by id) went by in the stream. */
  sync: (to: string, timeoutMs?: number) => Promise<void>;
  close: () => void;
}

/** Connects as component `domain` (XEP-0114 §3: stream, then the SHA-1 handshake). */
export function connectComponent(port: number, domain: string, secret: string): Promise<ComponentLink> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: "127.0.0.1", port });
    let tail = "";
    let shook = false;
    const waiting = new Map<string, () => void>();
    socket.setEncoding("utf8");
    socket.on("error", reject);
    socket.on("data", (chunk: string) => {
      const text = tail + chunk;
      tail = text.slice(-200);
      if (!shook) {
        const id = /<stream:stream[^>]*\bid=['"]([^'"]+)['"]/.exec(text)?.[1];
        if (id && !text.includes("<handshake")) {
          socket.write(
            `<handshake>${createHash("sha1")
              .update(id + secret)
              .digest("hex")}</handshake>`,
          );
        }
        if (/<handshake\s*\/>|<handshake><\/handshake>/.test(text)) {
          shook = true;
          resolve(link);
        }
        if (text.includes("<stream:error")) reject(new Error(`component handshake refused: ${text.slice(0, 300)}`));
        return;
      }
      for (const [id, done] of waiting) {
        if (text.includes(`id='${id}'`) || text.includes(`id="${id}"`)) {
          waiting.delete(id);
          done();
        }
      }
    });
    const link: ComponentLink = {
      send: (xml) => socket.write(xml),
      sync: (to, timeoutMs = 120_000) =>
        new Promise<void>((ok, fail) => {
          const id = `sync-${randomUUID()}`;
          const timer = setTimeout(() => fail(new Error(`no answer to ${id} within ${timeoutMs} ms`)), timeoutMs);
          waiting.set(id, () => {
            clearTimeout(timer);
            ok();
          });
          socket.write(
            `<iq type='get' id='${id}' from='sync@${domain}/bench' to='${to}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`,
          );
        }),
      close: () => socket.end("</stream:stream>"),
    };
    socket.write(
      `<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='${domain}'>`,
    );
  });
}

export const occupantNick = (i: number) => `occ${String(i).padStart(4, "0")}`;

/** Lua literal of a string (util.serialization's quoting is a superset of this). */
const lua = (v: string) => JSON.stringify(v);

export interface BigRoom {
  /** Prosody's data_path (the dir given to startProsody, + "data"). */
  dataPath: string;
  /** MUC component host, e.g. conference.localhost. */
  mucHost: string;
  /** Room local part. */
  room: string;
  /** Component domain of the occupants' real JIDs. */
  botDomain: string;
  occupants: number;
  messages: number;
  /** Body of message i (1-based). */
  body: (i: number) => string;
  /** Unix time (s) of the last message; the others one second apart before it. */
  lastAt: number;
  /**
   * Where the archive goes: "internal" (mod_storage_internal's list file, Prosody's default) or "sql"
   * (mod_storage_sql's SQLite database `prosody.sqlite` in data_path, for `storage = { muc_log = "sql" }`).
   */
  archive?: "internal" | "sql";
}

/** XML text escaping, as util.stanza serializes text and attribute values. */
const xmlEscape = (v: string) =>
  v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&apos;").replace(/"/g, "&quot;");

/**
 * Prosody 0.12's SQL archive table in SQLite, exactly as mod_storage_sql creates it (create_table, with
 * util/sql.lua's SQLite types: MEDIUMTEXT → TEXT) and its indexes; Prosody keeps a table that exists.
 */
const ARCHIVE_SCHEMA = `
CREATE TABLE IF NOT EXISTS "prosody" ("host" TEXT NOT NULL, "user" TEXT NOT NULL, "store" TEXT NOT NULL, "key" TEXT NOT NULL, "type" TEXT NOT NULL, "value" TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS "prosody_index" ON "prosody" ("host", "user", "store", "key");
CREATE TABLE IF NOT EXISTS "prosodyarchive" ("sort_id" INTEGER PRIMARY KEY AUTOINCREMENT, "host" TEXT NOT NULL, "user" TEXT NOT NULL, "store" TEXT NOT NULL, "key" TEXT NOT NULL, "when" INTEGER NOT NULL, "with" TEXT NOT NULL, "type" TEXT NOT NULL, "value" TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "prosodyarchive_index" ON "prosodyarchive" ("host", "user", "store", "key");
CREATE INDEX IF NOT EXISTS "prosodyarchive_with_when" ON "prosodyarchive" ("host", "user", "store", "with", "when");
CREATE INDEX IF NOT EXISTS "prosodyarchive_when" ON "prosodyarchive" ("host", "user", "store", "when");
CREATE INDEX IF NOT EXISTS "prosodyarchive_sort" ON "prosodyarchive" ("host", "user", "store", "sort_id");
`;

/** Writes the room's config, live occupants and archive; call before Prosody starts. */
export function seedBigRoom(o: BigRoom): void {
  const host = join(o.dataPath, encodeURIComponent(o.mucHost).replace(/\./g, "%2e"));
  const roomJid = `${o.room}@${o.mucHost}`;
  for (const d of ["config", "state", "muc_log"]) mkdirSync(join(host, d), { recursive: true });
  writeFileSync(join(host, "persistent.dat"), `return {\n\t[${lua(roomJid)}] = true;\n};\n`);
  writeFileSync(
    join(host, "config", `${o.room}.dat`),
    `return {
\t["_jid"] = ${lua(roomJid)};
\t["_data"] = { ["persistent"] = true; ["hidden"] = false; ["name"] = "Big room"; ["language"] = "en"; };
\t["_affiliation_data"] = {};
\t[${lua(`${occupantNick(0)}@${o.botDomain}`)}] = "owner";
};
`,
  );
  const state = ["return {"];
  for (let i = 0; i < o.occupants; i++) {
    const nick = occupantNick(i);
    const real = `${nick}@${o.botDomain}/bench`;
    state.push(
      `\t[${lua(`${roomJid}/${nick}`)}] = { ["bare_jid"] = ${lua(`${nick}@${o.botDomain}`)}; ["jid"] = ${lua(real)}; ["role"] = ${i === 0 ? '"moderator"' : '"participant"'}; };`,
      `\t[${lua(real)}] = { ["name"] = "presence"; ["attr"] = { ["from"] = ${lua(`${roomJid}/${nick}`)}; ["to"] = ${lua(real)}; }; };`,
    );
  }
  state.push("};", "");
  writeFileSync(join(host, "state", `${o.room}.dat`), state.join("\n"));
  if (o.archive === "sql") {
    seedSqlArchive(o, roomJid);
    return;
  }
  const items: string[] = [];
  for (let i = 1; i <= o.messages; i++) {
    const { when, stamp, id, from } = archived(o, roomJid, i);
    items.push(
      `item({ { ${lua(o.body(i))}; ["name"] = "body"; ["attr"] = {}; }; { ["name"] = "origin-id"; ["attr"] = { ["id"] = ${lua(id)}; ["xmlns"] = "urn:xmpp:sid:0"; }; }; ["attr"] = { ["type"] = "groupchat"; ["id"] = ${lua(id)}; ["from"] = ${lua(from)}; ["to"] = ${lua(roomJid)}; ["stamp"] = ${lua(stamp)}; }; ["name"] = "message"; ["with"] = "message<groupchat"; ["when"] = ${when}; ["key"] = ${lua(`k${String(i).padStart(6, "0")}`)}; });`,
    );
  }
  writeFileSync(join(host, "muc_log", `${o.room}.list`), `${items.join("\n")}\n`);
}

/** Archived message i (1-based): when, its stamp, its id and the occupant who sent it. */
function archived(o: BigRoom, roomJid: string, i: number) {
  const when = o.lastAt - (o.messages - i);
  const stamp = new Date(when * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  return { when, stamp, id: `seed-${i}`, from: `${roomJid}/${occupantNick(1 + (i % (o.occupants - 1)))}` };
}

/**
 * The archive as mod_storage_sql's archive_store:append writes it for mod_muc_mam: host = the MUC host,
 * user = the room's node, store "muc_log", key = the archive id, when, with = "message<groupchat",
 * type "xml" and the stanza serialized (mod_storage_sql.lua serialize: tostring(stanza)).
 */
function seedSqlArchive(o: BigRoom, roomJid: string): void {
  const db = new DatabaseSync(join(o.dataPath, "prosody.sqlite"));
  try {
    db.exec(ARCHIVE_SCHEMA);
    const insert = db.prepare(
      `INSERT INTO "prosodyarchive" ("host", "user", "store", "key", "when", "with", "type", "value") VALUES (?, ?, 'muc_log', ?, ?, 'message<groupchat', 'xml', ?)`,
    );
    db.exec("BEGIN");
    for (let i = 1; i <= o.messages; i++) {
      const { when, stamp, id, from } = archived(o, roomJid, i);
      const a = (v: string) => `'${xmlEscape(v)}'`;
      const value =
        `<message type=${a("groupchat")} id=${a(id)} from=${a(from)} to=${a(roomJid)} stamp=${a(stamp)}>` +
        `<body>${xmlEscape(o.body(i))}</body><origin-id id=${a(id)} xmlns=${a("urn:xmpp:sid:0")}/></message>`;
      insert.run(o.mucHost, o.room, `k${String(i).padStart(6, "0")}`, when, value);
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}
