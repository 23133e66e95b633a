// Back to the watch page after "Sign in to chat" (web/src/watch/return-after-login.ts): only a
// /watch/<app>/<stream> path of this origin is followed, and only once the login is on the device.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { indexedDbStore } from "../../../web/src/model/device/history-store";
import { returnAfterLogin, returnPath, signInHref } from "../../../web/src/watch/return-after-login";
import { testApp } from "../support/app";

describe("the way back to the watch page", () => {
  it("links the sign-in to the app's login with this watch page to return to", () => {
    const href = signInHref({ app: "live", stream: "cam_1" });
    expect(href).toBe("/?return=%2Fwatch%2Flive%2Fcam_1");
    expect(returnPath(new URL(href, "http://chat.test").search)).toBe("/watch/live/cam_1");
  });

  it("follows only a watch page of this origin", () => {
    for (const search of [
      "",
      "?return=",
      "?return=https://evil.example/watch/a/b",
      "?return=//evil.example/watch/a/b",
      "?return=/\\evil.example/watch/a/b",
      "?return=/chat/bob",
      "?return=/watch/a",
      "?return=/watch/a/b/c",
      "?return=/watch/a/b?x=1",
      "?return=/watch/a%2Fb/c",
      "?return=javascript:alert(1)",
    ]) {
      expect(returnPath(search), search).toBeNull();
    }
    expect(returnPath("?return=/watch/a/b")).toBe("/watch/a/b");
  });

  it("goes back after a successful login, once its address and session keys are saved", async () => {
    const store = indexedDbStore(new IDBFactory());
    const app = testApp(undefined, [], store);
    const went: Array<{ path: string; session: boolean; address: string | undefined }> = [];
    returnAfterLogin(app.facade, "?return=%2Fwatch%2Flive%2Fcam", (path) => {
      void store
        .load("alice@example.org")
        .then((h) => went.push({ path, session: !!h.meta.session, address: app.storage.get("porthole.address") }));
    });
    await app.login("wrong");
    await app.facade.model.device.saved();
    expect(went).toEqual([]);
    await app.login();
    await expect.poll(() => went).toEqual([{ path: "/watch/live/cam", session: true, address: "alice@example.org" }]);
    // Once only: a later login (after a logout, say) stays in the app.
    await app.login();
    await app.facade.model.device.saved();
    await new Promise((r) => setTimeout(r, 20));
    expect(went).toHaveLength(1);
  });

  it("stays in the app when the login was not opened from a watch page", async () => {
    const app = testApp();
    const went: string[] = [];
    returnAfterLogin(app.facade, "?jid=bob", (path) => went.push(path));
    await app.login();
    await app.facade.model.device.saved();
    expect(went).toEqual([]);
  });
});
