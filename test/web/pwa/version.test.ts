import { describe, expect, it } from "vitest";
import { APP_NAME, title } from "../../../web/src/app/version";

describe("document titles", () => {
  it("names the view before the app", () => {
    expect(title("Roster")).toBe(`Roster · ${APP_NAME}`);
    expect(title("")).toBe(APP_NAME);
  });
});
