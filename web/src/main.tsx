/**
 * Boot: on `/watch/<app>/<stream>` renders the watch page (its own lazily loaded chunk; its chat, later);
 * anywhere else builds the facade over the real XMPP client, starts it (STARTUP) and renders the app.
 */
import { render } from "preact";
import { App } from "./app/app";
import { createChatFacade } from "./app/chat-facade";
import { FacadeContext } from "./app/facade-context";
import { preloadPanes } from "./app/lazy-panes";
import { registerPwa } from "./pwa/register";
import { parseWatchPath, type WatchTarget } from "./watch/watch-path";

function startChat(root: HTMLElement): void {
  const facade = createChatFacade();
  // Signing in from a watch page's "Sign in to chat" goes back to that page afterwards (its code is
  // fetched only then, long before the password is typed).
  if (location.search.includes("return=")) {
    void import("./watch/return-after-login").then((m) =>
      m.returnAfterLogin(facade, location.search, (path) => location.assign(path)),
    );
  }
  void facade.send("STARTUP");

  render(
    <FacadeContext.Provider value={facade}>
      <App />
    </FacadeContext.Provider>,
    root,
  );

  // The signed-in panes load after the first paint, while the user types their password.
  const idle = globalThis.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 200));
  idle(() => void preloadPanes().catch(() => {}));
}

function startWatch(root: HTMLElement, target: WatchTarget): void {
  void import("./watch/watch-page").then(({ WatchPage }) => render(<WatchPage target={target} />, root));
}

const root = document.getElementById("app");
const watch = parseWatchPath(location.pathname);
if (root) {
  if (watch) startWatch(root, watch);
  else startChat(root);
}

// Service worker registration and the update banner (web/src/pwa/).
registerPwa();
