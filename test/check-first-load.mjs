// The PWA's first load (the JS and CSS web/dist/index.html loads eagerly) stays within its budget
// (BUDGET bytes gzip, JS + CSS) and carries no XMPP connection code: the connection (xmpp.js'
// @xmpp/connection, reached through @xmpp/client-core) is lazy-loaded when the user signs in, and the
// first load builds stanzas with @xmpp/xml alone. Recognised by a string literal of @xmpp/connection
// 0.14 (index.js: the error thrown by connect() when not offline), which must then be found in some
// lazily loaded chunk, so the check cannot pass vacuously.
// Prints the first load's gzip size and each lazily loaded chunk's; `--json <file>` also writes them
// there (npm run bench reports them). Run after `npm run build`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const DIST = new URL("../web/dist/", import.meta.url).pathname;
const MARK = "Connection is not offline";
const BUDGET = 40960;

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
  .filter((f) => /\.(?:js|css)$/.test(f) && !eager.includes(f));

const gzipOf = (file) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
let gzip = 0;
const failures = [];
for (const file of eager) {
  gzip += gzipOf(file);
  if (readFileSync(join(DIST, file)).includes(MARK))
    failures.push(`${file} (loaded by index.html) contains XMPP connection code`);
}
if (!lazy.some((f) => f.endsWith(".js") && readFileSync(join(DIST, f)).includes(MARK))) {
  failures.push(`no lazily loaded chunk contains "${MARK}": the marker no longer identifies @xmpp/connection`);
}
if (gzip > BUDGET) failures.push(`first load is ${gzip} B gzip, over its budget of ${BUDGET} B`);
const chunks = lazy.map((file) => ({ file, gzip: gzipOf(file) })).sort((a, b) => b.gzip - a.gzip);
console.log(`first load: ${eager.join(" ")}: ${gzip} B gzip (budget ${BUDGET} B)`);
for (const c of chunks) console.log(`  lazy: ${c.file}: ${c.gzip} B gzip`);
for (const f of failures) console.error(`first-load: ${f}`);
const out = process.argv.indexOf("--json");
if (out > 0 && process.argv[out + 1]) {
  writeFileSync(process.argv[out + 1], `${JSON.stringify({ eager, gzip, budget: BUDGET, lazy: chunks, failures }, null, 2)}\n`);
}
process.exit(failures.length ? 1 : 0);
