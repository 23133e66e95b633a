/**
 * The application view (seed: ApplicationMediator's view): the always-visible connection bar, then
 * the login view, or the roster and chat views (side by side on wide screens, one at a time on phones).
 */
import { LoginView } from "../views/login/login-view";
import { LazyPanes } from "./lazy-panes";
import { LogoutButton } from "./logout-button";
import { useAppMediator } from "./use-app-mediator";
import { APP_NAME } from "./version";
import "./app.css";

export function App() {
  const app = useAppMediator();
  return (
    <div class={`app${app.activeChat ? " app--chat" : ""}`}>
      <header class="app-bar">
        <h1 class="app-bar__title">{APP_NAME}</h1>
        <p class={`conn conn--${app.state}`} role="status" data-testid="connection">
          <span class="conn__dot" aria-hidden="true" />
          {app.stateLabel}
          {app.signedIn && app.jid ? <span class="conn__jid"> · {app.jid.split("/")[0]}</span> : null}
        </p>
        {app.totalUnread > 0 ? (
          <span class="badge" data-testid="total-unread">
            {app.totalUnread}
            <span class="visually-hidden"> unread</span>
          </span>
        ) : null}
        {app.signedIn && app.canNotify ? (
          <button type="button" class="btn btn--quiet" onClick={app.enableNotifications}>
            Enable notifications
          </button>
        ) : null}
        {app.signedIn ? <LogoutButton onLogout={app.logout} /> : null}
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
