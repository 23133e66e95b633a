/**
 * The application view (seed: ApplicationMediator's view): the always-visible connection bar, then
 * the login view, or the roster and chat views (side by side on wide screens, one at a time on phones).
 * The bar stays one row: name, what I am (connection or presence, my address), unread total, menu.
 */
import { LoginView } from "../views/login/login-view";
import { LazyAccountMenu, LazyPanes } from "./lazy-panes";
import { useAppMediator } from "./use-app-mediator";
import { APP_NAME } from "./version";
import "./app.css";

export function App() {
  const app = useAppMediator();
  return (
    <div class={`app${app.activeChat ? " app--chat" : ""}`}>
      <header class="app-bar">
        <h1 class="app-bar__title">{APP_NAME}</h1>
        <p
          class={`conn conn--${app.word.tone}${app.word.presence ? ` conn--${app.word.presence}` : ""}`}
          role="status"
          data-testid="connection"
        >
          <span class="conn__dot" aria-hidden="true" />
          <span class="conn__text">
            <span class="conn__word">{app.word.label}</span>
            {app.word.detail || (app.signedIn && app.jid) ? (
              <span class="conn__jid">
                {app.word.detail ? <span class="conn__detail">{app.word.detail}</span> : null}
                {app.word.detail && app.signedIn && app.jid ? " · " : <span class="visually-hidden"> · </span>}
                {app.signedIn && app.jid ? app.jid.split("/")[0] : null}
              </span>
            ) : null}
          </span>
        </p>
        {app.totalUnread > 0 ? (
          <span class="badge" data-testid="total-unread">
            {app.totalUnread}
            <span class="visually-hidden"> unread</span>
          </span>
        ) : null}
        {app.signedIn ? <LazyAccountMenu /> : null}
      </header>
      {app.storeNotice ? (
        <div class="notice" role="alert" data-testid="store-notice">
          <span>{app.storeNotice}</span>
          {app.storeStatus === "replaced" ? (
            <button type="button" class="btn btn--quiet" onClick={app.reloadPage}>
              Reload
            </button>
          ) : null}
        </div>
      ) : null}
      {app.notice ? (
        <div class="notice" role="alert">
          <span>{app.notice}</span>
          {app.state === "reconnecting" ? (
            <button type="button" class="btn btn--quiet" onClick={app.reconnect}>
              Reconnect now
            </button>
          ) : null}
          <button type="button" class="btn btn--quiet" onClick={app.dismissNotice}>
            Dismiss
          </button>
        </div>
      ) : null}
      {app.signedIn ? (
        <LazyPanes activeChat={app.activeChat} />
      ) : (
        <main class="panes panes--single">
          <LoginView />
        </main>
      )}
    </div>
  );
}
