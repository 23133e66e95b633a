// The PWA's first load (the JS and CSS web/dist/index.html loads eagerly) carries no XMPP connection
// code: the connection (xmpp.js' @xmpp/connection, reached through @xmpp/client-core) is lazy-loaded
// when the user signs in, and the first load builds stanzas with @xmpp/xml alone. Recognised by a
// string literal of @xmpp/connection 0.14 (index.js: the error thrown by connect() when not offline),
// which must then be found in some lazily loaded chunk, so the check cannot pass vacuously.
// Prints the first load's gzip size. Run after `npm run build`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const DIST = new URL("../web/dist/", import.meta.url).pathname;
const MARK = "Connection is not offline";

if (!existsSync(join(DIST, "index.html"))) {
  console.error("first-load: web/dist/index.html is missing: run `npm run build` first");
  process.exit(1);
}
const html = readFileSync(join(DIST, "index.html"), "utf8");
const eager = [
  ...new Set([...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? "")),
];
const lazy = readdirSync(join(DIST, "assets"))
  .map((f) => `assets/${f}`)
  .filter((f) => f.endsWith(".js") && !eager.includes(f));

let gzip = 0;
const failures = [];
for (const file of eager) {
  const bytes = readFileSync(join(DIST, file));
  gzip += gzipSync(bytes, { level: 9 }).length;
  if (bytes.includes(MARK)) failures.push(`${file} (loaded by index.html) contains XMPP connection code`);
}
if (!lazy.some((f) => readFileSync(join(DIST, f)).includes(MARK))) {
  failures.push(`no lazily loaded chunk contains "${MARK}": the marker no longer identifies @xmpp/connection`);
}
console.log(`first load: ${eager.join(" ")}: ${gzip} B gzip`);
for (const f of failures) console.error(`first-load: ${f}`);
process.exit(failures.length ? 1 : 0);
