/** The application view: the shell that the login, roster and chat views mount into. */
import { APP_NAME, APP_VERSION } from "./version";

export function App() {
  return (
    <main class="app">
      <h1>{APP_NAME}</h1>
      <p data-testid="status">Chat over XMPP, through this host.</p>
      <footer>v{APP_VERSION}</footer>
    </main>
  );
}
