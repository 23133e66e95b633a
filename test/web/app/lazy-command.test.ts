// Use cases fetched on first use: a chunk that cannot be fetched is not remembered (the next call
// fetches it again), and the user is told so in a plain sentence, not the browser's message with its URL.
import { describe, expect, it } from "vitest";
import { CHUNK_UNAVAILABLE, commandErrorMessage } from "../../../web/src/app/command-error";
import { lazyCommands } from "../../../web/src/app/lazy-command";

describe("lazyCommands", () => {
  it("fetches the table again after a failed fetch", async () => {
    let fetches = 0;
    const table = lazyCommands(async () => {
      fetches += 1;
      if (fetches === 1) throw new TypeError("Failed to fetch dynamically imported module: https://host/assets/x-1.js");
      return { greet: (name: string) => `hello ${name}` };
    });
    const greet = table.command("greet");
    await expect(greet("a")).rejects.toThrow(TypeError);
    expect(await greet("b")).toBe("hello b");
    expect(greet("c")).toBe("hello c");
    expect(fetches).toBe(2);
  });
});

describe("commandErrorMessage", () => {
  it("says a chunk that failed to load plainly, in each browser's wording, and keeps the app's own sentences", () => {
    for (const browser of [
      "Failed to fetch dynamically imported module: https://host/assets/x-1.js",
      "error loading dynamically imported module: https://host/assets/x-1.js",
      "Importing a module script failed.",
    ])
      expect(commandErrorMessage(new TypeError(browser))).toBe(CHUNK_UNAVAILABLE);
    expect(commandErrorMessage(new Error("Wrong address or password."))).toBe("Wrong address or password.");
    expect(commandErrorMessage("plain")).toBe("plain");
  });
});
