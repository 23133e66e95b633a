// The watch page decides whether to load its chat from the app's saved address, under the app's own key.
import { describe, expect, it } from "vitest";
import { ADDRESS_KEY } from "../../../web/src/commands/session/startup";
import { SIGNED_IN_ADDRESS_KEY } from "../../../web/src/watch/watch-chat-slot";

describe("watch page chat", () => {
  it("reads the address the app's login keeps (commands/session/startup.ts)", () => {
    expect(SIGNED_IN_ADDRESS_KEY).toBe(ADDRESS_KEY);
  });
});
