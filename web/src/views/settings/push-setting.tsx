/**
 * "Notify me when Porthole is closed": the switch for push notifications (push/push-enable.ts, loaded
 * only when the setting is used), with "Show the message text" (off by default; the text reaches the
 * notification only when the user's server sends it too). The permission is asked from the click on
 * the switch, never on load. Says what went wrong when it cannot be turned on.
 */
import { useEffect, useState } from "preact/hooks";
import { useFacade } from "../../app/facade-context";

type State = "unsupported" | "off" | "on" | "busy";

const loadPush = () => import("../../push/push-enable");

function supported(): boolean {
  return "serviceWorker" in navigator && typeof PushManager !== "undefined" && typeof Notification !== "undefined";
}

export function PushSetting() {
  const facade = useFacade();
  const account = facade.model.xmpp.bare;
  const [state, setState] = useState<State>(supported() ? "busy" : "unsupported");
  const [showBody, setShowBody] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!supported()) return;
    void loadPush()
      .then((m) => m.readPushDevice())
      .then((d) => {
        const mine = d?.account === account ? d : null;
        setState(mine ? "on" : "off");
        setShowBody(mine?.showBody ?? false);
      })
      .catch(() => setState("off"));
  }, [account]);

  const toggle = (on: boolean) => {
    setProblem(null);
    // Asked in the click itself: browsers grant the prompt only with user activation.
    const permission = on ? Notification.requestPermission() : null;
    setState("busy");
    void loadPush()
      .then(async (m) => {
        const request = (iq: Parameters<typeof facade.model.xmpp.request>[0]) => facade.model.xmpp.request(iq);
        if (permission) await m.enablePush(account, request, showBody, permission);
        else await m.disablePush(request);
        setState(on ? "on" : "off");
      })
      .catch((err: unknown) => {
        setProblem(err instanceof Error ? err.message : String(err));
        setState("off");
      });
  };

  if (state === "unsupported") return <p class="hint">This browser cannot receive push notifications.</p>;
  return (
    <div class="push-setting" data-testid="push-setting" data-state={state}>
      <label class="settings__check">
        <input
          type="checkbox"
          checked={state === "on"}
          disabled={state === "busy"}
          onChange={(e) => toggle(e.currentTarget.checked)}
        />
        Notify me when Porthole is closed
      </label>
      <label class="settings__check">
        <input
          type="checkbox"
          checked={showBody}
          disabled={state === "busy"}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            setShowBody(on);
            if (state === "on")
              void loadPush()
                .then((m) => m.setShowBody(on))
                .catch((err: unknown) => setProblem(String(err)));
          }}
        />
        Show the message text in those notifications
      </label>
      <p class="hint">
        {state === "on"
          ? "Your server tells this site when a message arrives while Porthole is closed; this browser's push service delivers the notice."
          : "Get a notice for new messages even when Porthole is not open (the browser's push service carries it)."}
      </p>
      {problem ? (
        <p class="form-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
