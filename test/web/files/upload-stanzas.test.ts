// XEP-0030 / XEP-0363 / XEP-0066 stanzas (web/src/model/stanzas/upload.ts): discovery answers as
// Prosody 0.12's mod_http_file_share gives them, slot answers, and the file message as Conversations
// (MessageGenerator.generateChat) and Converse.js (createMessageStanza) build it.
import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { fileFromUrl, inlineAllowed, kindOf } from "../../../web/src/model/files/shared-file";
import { parseMessage } from "../../../web/src/model/stanzas/stanzas";
import { fileMessage, parseItems, parseOobUrl, parseSlot, parseUploadService } from "../../../web/src/model/stanzas/upload";

const UPLOAD = "urn:xmpp:http:upload:0";

/** disco#info of upload.localhost as Prosody 0.12 answers it (identity, feature, XEP-0128 form). */
function prosodyInfo(maxSize: string | null, feature = UPLOAD) {
  return xml(
    "iq",
    { type: "result", from: "upload.localhost" },
    xml(
      "query",
      { xmlns: "http://jabber.org/protocol/disco#info" },
      xml("identity", { category: "store", type: "file", name: "HTTP File Upload" }),
      xml("feature", { var: feature }),
      maxSize === null
        ? null
        : xml(
            "x",
            { xmlns: "jabber:x:data", type: "result" },
            xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, UPLOAD)),
            xml("field", { var: "max-file-size", type: "text-single" }, xml("value", {}, maxSize)),
          ),
    ),
  );
}

describe("upload service discovery", () => {
  it("reads the items and the service's max-file-size", () => {
    const items = xml(
      "iq",
      { type: "result" },
      xml(
        "query",
        { xmlns: "http://jabber.org/protocol/disco#items" },
        xml("item", { jid: "upload.localhost" }),
        xml("item", { jid: "conference.localhost" }),
        xml("item", {}),
      ),
    );
    expect(parseItems(items)).toEqual(["upload.localhost", "conference.localhost"]);
    expect(parseUploadService("upload.localhost", prosodyInfo("10485760"))).toEqual({
      jid: "upload.localhost",
      maxSize: 10485760,
    });
  });

  it("no limit without the form or with a bad value; no service without the feature", () => {
    expect(parseUploadService("u", prosodyInfo(null))?.maxSize).toBeNull();
    expect(parseUploadService("u", prosodyInfo("ten MB"))?.maxSize).toBeNull();
    expect(parseUploadService("u", prosodyInfo("100", "urn:xmpp:http:upload"))).toBeNull();
  });
});

describe("upload slots (XEP-0363 §4)", () => {
  const slot = (put: string, get: string, headers: Array<[string, string]>) =>
    xml(
      "iq",
      { type: "result" },
      xml(
        "slot",
        { xmlns: UPLOAD },
        xml("put", { url: put }, ...headers.map(([name, value]) => xml("header", { name }, value))),
        xml("get", { url: get }),
      ),
    );

  it("keeps only Authorization, Cookie and Expires, without line breaks", () => {
    const s = parseSlot(
      slot("https://chat.example/upload/a/b.jpg", "https://chat.example/upload/a/b.jpg", [
        ["Authorization", "Bearer abc\r\nX-Evil: 1"],
        ["Host", "evil.example"],
        ["Expires", "Tue, 01 Dec 2026 15:00:00 GMT"],
      ]),
    );
    expect(s).toEqual({
      put: "https://chat.example/upload/a/b.jpg",
      get: "https://chat.example/upload/a/b.jpg",
      headers: { Authorization: "Bearer abcX-Evil: 1", Expires: "Tue, 01 Dec 2026 15:00:00 GMT" },
    });
  });

  it("refuses a slot without http(s) URLs", () => {
    expect(parseSlot(slot("javascript:alert(1)", "https://x/a", []))).toBeNull();
    expect(parseSlot(slot("https://x/a", "ftp://x/a", []))).toBeNull();
    expect(parseSlot(xml("iq", { type: "result" }))).toBeNull();
  });
});

describe("file messages (XEP-0066)", () => {
  it("are built as Conversations sends them: the body is the URL, plus x:oob", () => {
    const el = fileMessage("bob@example.org", "https://chat.example/upload/s/p.jpg", "id1");
    expect(el.getChildText("body")).toBe("https://chat.example/upload/s/p.jpg");
    expect(el.getChild("x", "jabber:x:oob")?.getChildText("url")).toBe("https://chat.example/upload/s/p.jpg");
    expect(el.getChild("origin-id", "urn:xmpp:sid:0")?.attrs.id).toBe("id1");
    expect(el.getChild("request", "urn:xmpp:receipts")).toBeTruthy();
  });

  it("parse the OOB URL of http(s) only", () => {
    const msg = (url: string) =>
      xml(
        "message",
        { from: "bob@example.org/c", type: "chat" },
        xml("body", {}, url),
        xml("x", { xmlns: "jabber:x:oob" }, xml("url", {}, url)),
      );
    expect(parseOobUrl(msg("https://chat.example/upload/s/p.png"))).toBe("https://chat.example/upload/s/p.png");
    expect(parseOobUrl(msg("javascript:alert(1)"))).toBeNull();
    expect(parseMessage(msg("https://chat.example/upload/s/p.png"), 0)?.oobUrl).toBe("https://chat.example/upload/s/p.png");
    expect(parseMessage(xml("message", { from: "bob@example.org/c" }, xml("body", {}, "hi")), 0)?.oobUrl).toBeUndefined();
  });

  it("name their file by the URL's last segment and never make SVG or HTML an inline kind", () => {
    expect(fileFromUrl("https://chat.example/upload/s/holiday%20photo.JPG")).toEqual({
      url: "https://chat.example/upload/s/holiday%20photo.JPG",
      name: "holiday photo.JPG",
      type: "image/jpeg",
    });
    expect(["image/jpeg", "image/png", "image/gif", "image/webp"].map(kindOf)).toEqual(["image", "image", "image", "image"]);
    expect(["image/svg+xml", "text/html", "application/xhtml+xml", "image/bmp"].map(kindOf)).toEqual([
      "other",
      "other",
      "other",
      "other",
    ]);
    expect([kindOf("audio/ogg"), kindOf("video/mp4")]).toEqual(["audio", "video"]);
  });

  it("show inline only what this host serves under /upload/ (Prosody's and ejabberd's URL shapes alike)", () => {
    const here = "https://chat.example";
    expect(inlineAllowed("https://chat.example/upload/0e3f/clip.mp4", here)).toBe(true);
    expect(inlineAllowed(`https://chat.example/upload/${"a".repeat(40)}/${"B".repeat(40)}/clip.webm`, here)).toBe(true);
    expect(inlineAllowed("/upload/s/p.png", here)).toBe(true);
    expect(inlineAllowed("https://elsewhere.example/upload/s/clip.mp4", here)).toBe(false);
    expect(inlineAllowed("https://chat.example/index.html", here)).toBe(false);
    expect(inlineAllowed("https://chat.example/uploads/s/clip.mp4", here)).toBe(false);
    expect(inlineAllowed("https://chat.example:8443/upload/s/clip.mp4", here)).toBe(false);
    expect(inlineAllowed("https://user:pw@chat.example/upload/s/p.png", here)).toBe(false);
    expect(inlineAllowed("http://[bad", here)).toBe(false);
  });
});
