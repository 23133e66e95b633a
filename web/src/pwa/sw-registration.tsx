/**
 * Registers /sw.js with workbox-window (https://developer.chrome.com/docs/workbox/modules/workbox-window)
 * and mounts the update banner into #pwa. Update checks: the browser's own on navigation, plus
 * `registration.update()` when the page comes back to the foreground (`visibilitychange`), when the
 * network returns (`online`) and hourly. A waiting version is applied only when the user clicks
 * Reload (pwa/update-state.ts). Loaded by register.tsx after the first paint.
 */
import { signal } from "@preact/signals";
import { render } from "preact";
import { Workbox } from "workbox-window";
import { UpdateBanner } from "./update-banner";
import { nextUpdate, type UpdateEvent, type UpdateState } from "./update-state";

const HOURLY = 60 * 60 * 1000;

export function startServiceWorker(): void {
  const wb = new Workbox("/sw.js", { scope: "/" });
  const state = signal<UpdateState>("current");

  const activateWaiting = async () => {
    const registration = await navigator.serviceWorker.getRegistration("/");
    // Nothing waiting any more (another tab activated it meanwhile): the new version is live, reload.
    if (registration?.waiting) wb.messageSkipWaiting();
    else window.location.reload();
  };
  const dispatch = (event: UpdateEvent) => {
    const step = nextUpdate(state.value, event);
    state.value = step.state;
    if (step.effect === "skip-waiting") void activateWaiting();
    if (step.effect === "reload") window.location.reload();
  };

  wb.addEventListener("waiting", () => dispatch({ type: "waiting" }));
  wb.addEventListener("controlling", (event) => dispatch({ type: "controlling", isUpdate: event.isUpdate === true }));

  const check = () => {
    wb.update().catch(() => {
      // Offline or the server is down: the next trigger tries again.
    });
  };
  wb.register()
    .then(() => {
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") check();
      });
      window.addEventListener("online", check);
      setInterval(check, HOURLY);
    })
    .catch((error: unknown) => console.warn("Porthole: service worker registration failed", error));

  const Banner = () => (
    <UpdateBanner
      state={state.value}
      onAccept={() => dispatch({ type: "accept" })}
      onDismiss={() => dispatch({ type: "dismiss" })}
    />
  );
  render(<Banner />, mountPoint());
}

function mountPoint(): HTMLElement {
  const existing = document.getElementById("pwa");
  if (existing) return existing;
  const el = document.createElement("div");
  el.id = "pwa";
  document.body.append(el);
  return el;
}
