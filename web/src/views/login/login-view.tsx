/** The login view (seed: LoginPanel): address, password, advanced WebSocket URL; Enter submits. */
import type { TargetedEvent, TargetedSubmitEvent } from "preact";
import { useLoginMediator } from "./use-login-mediator";
import "./login.css";

const value = (e: TargetedEvent<HTMLInputElement>) => e.currentTarget.value;

export function LoginView() {
  const m = useLoginMediator();
  const onSubmit = (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    m.submit();
  };
  return (
    <form class="login" onSubmit={onSubmit} aria-labelledby="login-title" aria-busy={m.busy}>
      <h2 id="login-title">Log in</h2>
      <label class="field">
        <span>Address</span>
        <input
          name="username"
          type="text"
          inputMode="email"
          autocomplete="username"
          autoCapitalize="none"
          spellcheck={false}
          placeholder="name@example.org"
          required
          value={m.address.value}
          onInput={(e) => {
            m.address.value = value(e);
          }}
        />
      </label>
      <label class="field">
        <span>Password</span>
        <input
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={m.password.value}
          onInput={(e) => {
            m.password.value = value(e);
          }}
        />
      </label>
      <details class="login__advanced">
        <summary>Advanced</summary>
        <label class="field">
          <span>WebSocket URL</span>
          <input
            name="websocket"
            type="url"
            autoCapitalize="none"
            spellcheck={false}
            placeholder="wss://chat.example.org/xmpp-websocket"
            value={m.websocketUrl.value}
            onInput={(e) => {
              m.websocketUrl.value = value(e);
            }}
          />
        </label>
        <p class="hint">Empty: this site's own server, then the address's domain (XEP-0156).</p>
      </details>
      {m.problem ? (
        <p class={`login__problem login__problem--${m.problem.kind}`} role="alert" data-testid="login-problem">
          {m.problem.message}
        </p>
      ) : null}
      <button type="submit" class="btn btn--primary" disabled={m.busy}>
        {m.busy ? "Connecting…" : "Log in"}
      </button>
    </form>
  );
}
