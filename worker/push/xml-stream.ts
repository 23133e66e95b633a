/**
 * A small incremental parser for an XMPP stream (RFC 6120 §4): the opening `<stream:stream>` tag,
 * then one complete element tree per top-level stanza, then `</stream:stream>`. Enough of XML 1.0 for
 * what servers send: elements, attributes (either quote), text, the five predefined entities and
 * numeric references, CDATA, comments and the XML declaration skipped. Namespaces are kept as plain
 * `xmlns` attributes (callers match local names and `xmlns`). Bounded: a stanza larger than `maxBytes`
 * is an error, so a peer cannot grow the buffer without end.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: Array<XmlElement | string>;
}

export interface XmlStreamHandlers {
  open: (attrs: Record<string, string>) => void;
  stanza: (el: XmlElement) => void;
  close: () => void;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? m;
  });
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Index of the `>` closing the tag that starts at `from`, skipping quoted attribute values; -1 if not yet there. */
function tagEnd(buf: string, from: number): number {
  let quote = "";
  for (let i = from; i < buf.length; i++) {
    const c = buf[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return i;
  }
  return -1;
}

function parseTag(inner: string): { name: string; attrs: Record<string, string> } {
  const m = /^([^\s/>]+)/.exec(inner);
  if (!m?.[1]) throw new Error("malformed tag");
  const attrs: Record<string, string> = {};
  const re = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (const a of inner.slice(m[1].length).matchAll(re)) attrs[a[1] ?? ""] = decodeEntities(a[2] ?? a[3] ?? "");
  return { name: m[1], attrs };
}

export class XmlStreamParser {
  private buf = "";
  private readonly decoder = new TextDecoder();
  private stack: XmlElement[] = [];
  private opened = false;
  private closed = false;

  constructor(
    private readonly on: XmlStreamHandlers,
    private readonly maxBytes = 256 * 1024,
  ) {}

  /** Feeds bytes from the socket; throws on malformed XML or an oversized stanza. */
  push(bytes: Uint8Array): void {
    this.buf += this.decoder.decode(bytes, { stream: true });
    this.drain();
    if (this.buf.length > this.maxBytes) throw new Error(`stanza larger than ${this.maxBytes} bytes`);
  }

  private drain(): void {
    for (;;) {
      if (this.closed || this.buf.length === 0) return;
      const lt = this.buf.indexOf("<");
      if (lt !== 0) {
        const textEnd = lt === -1 ? this.buf.length : lt;
        if (lt === -1 && this.stack.length > 0) return; // text may continue
        this.text(this.buf.slice(0, textEnd));
        this.buf = this.buf.slice(textEnd);
        continue;
      }
      if (this.buf.startsWith("<!--")) {
        const end = this.buf.indexOf("-->");
        if (end === -1) return;
        this.buf = this.buf.slice(end + 3);
        continue;
      }
      if (this.buf.startsWith("<![CDATA[")) {
        const end = this.buf.indexOf("]]>");
        if (end === -1) return;
        this.rawText(this.buf.slice(9, end));
        this.buf = this.buf.slice(end + 3);
        continue;
      }
      if (this.buf.startsWith("<?")) {
        const end = this.buf.indexOf("?>");
        if (end === -1) return;
        this.buf = this.buf.slice(end + 2);
        continue;
      }
      const end = tagEnd(this.buf, 1);
      if (end === -1) return;
      const inner = this.buf.slice(1, end);
      this.buf = this.buf.slice(end + 1);
      if (inner.startsWith("/")) this.closeTag(inner.slice(1).trim());
      else if (inner.endsWith("/")) this.openTag(inner.slice(0, -1), true);
      else this.openTag(inner, false);
    }
  }

  private text(raw: string): void {
    this.rawText(decodeEntities(raw));
  }

  private rawText(s: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.children.push(s);
    else if (s.trim() !== "") throw new Error("text outside a stanza");
  }

  private openTag(inner: string, selfClosing: boolean): void {
    const { name, attrs } = parseTag(inner);
    if (!this.opened) {
      if (name !== "stream:stream" && name !== "stream") throw new Error(`expected <stream:stream>, got <${name}>`);
      this.opened = true;
      this.on.open(attrs);
      return;
    }
    const el: XmlElement = { name, attrs, children: [] };
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.children.push(el);
    if (selfClosing) {
      if (!parent) this.on.stanza(el);
    } else this.stack.push(el);
  }

  private closeTag(name: string): void {
    const el = this.stack.pop();
    if (!el) {
      if (name === "stream:stream" || name === "stream") {
        this.closed = true;
        this.on.close();
        return;
      }
      throw new Error(`unexpected </${name}>`);
    }
    if (el.name !== name) throw new Error(`</${name}> closes <${el.name}>`);
    if (this.stack.length === 0) this.on.stanza(el);
  }
}

/** The first child element with this local name (and xmlns, when given). */
export function child(el: XmlElement | undefined, name: string, xmlns?: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) {
    if (typeof c === "string") continue;
    const local = c.name.includes(":") ? c.name.slice(c.name.indexOf(":") + 1) : c.name;
    if (local === name && (xmlns === undefined || c.attrs.xmlns === xmlns)) return c;
  }
  return undefined;
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return (el?.children ?? []).filter((c): c is XmlElement => typeof c !== "string" && c.name === name);
}

export function textOf(el: XmlElement | undefined): string {
  return (el?.children ?? []).filter((c): c is string => typeof c === "string").join("");
}
