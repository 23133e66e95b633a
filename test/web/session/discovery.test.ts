// Endpoint selection: this host's /xmpp-websocket, explicit URLs, XEP-0156 host-meta.json parsing.
import { describe, expect, it } from "vitest";
import {
  discoverWebsockets,
  explicitWebsocket,
  parseHostMetaJson,
  sameHostWebsocket,
} from "../../../web/src/model/xmpp/discovery";

describe("endpoints", () => {
  it("derives the same-host WebSocket URL from the page's scheme", () => {
    expect(sameHostWebsocket({ protocol: "https:", host: "chat.example.org" })).toBe("wss://chat.example.org/xmpp-websocket");
    expect(sameHostWebsocket({ protocol: "http:", host: "127.0.0.1:8787" })).toBe("ws://127.0.0.1:8787/xmpp-websocket");
  });
  it("accepts only ws/wss explicit URLs without credentials", () => {
    expect(explicitWebsocket(" wss://x.example/ws ")).toBe("wss://x.example/ws");
    expect(explicitWebsocket("https://x.example/ws")).toBeNull();
    expect(explicitWebsocket("wss://u:p@x.example/ws")).toBeNull();
    expect(explicitWebsocket("not a url")).toBeNull();
  });
  it("keeps only encrypted WebSocket links from host-meta.json", () => {
    expect(
      parseHostMetaJson({
        links: [
          { rel: "urn:xmpp:alt-connections:xbosh", href: "https://x/bosh" },
          { rel: "urn:xmpp:alt-connections:websocket", href: "ws://x/plain" },
          { rel: "urn:xmpp:alt-connections:websocket", href: "wss://x/ws" },
        ],
      }),
    ).toEqual(["wss://x/ws"]);
    expect(parseHostMetaJson(null)).toEqual([]);
    expect(parseHostMetaJson({ links: "nope" })).toEqual([]);
  });
  it("returns nothing when discovery fails", async () => {
    const found = await discoverWebsockets("example.org", async () => {
      throw new TypeError("network");
    });
    expect(found).toEqual([]);
  });
});
