/**
 * The update flow as a pure state machine (no DOM, no Workbox), driven by workbox-window's lifecycle
 * events (https://developer.chrome.com/docs/workbox/modules/workbox-window): a new service worker
 * that is waiting is offered to the user; it is activated only when the user accepts (skipWaiting by
 * message), and the page reloads only once that worker controls it. A version activated by another
 * tab is offered as a reload, never forced: no surprise reload while the user is typing.
 */

export type UpdateState =
  /** Nothing to offer (or the offer was dismissed). */
  | "current"
  /** A new version is installed and waiting: show "Update available — Reload". */
  | "available"
  /** The user accepted: the waiting worker was asked to activate; reload once it controls the page. */
  | "applying"
  /** A new version took control without this page asking (another tab accepted it). */
  | "activated-elsewhere";

export type UpdateEvent =
  | { type: "waiting" }
  | { type: "accept" }
  | { type: "dismiss" }
  /** workbox-window `controlling`; `isUpdate`: the page already had a controller when it loaded. */
  | { type: "controlling"; isUpdate: boolean };

export type UpdateEffect = "skip-waiting" | "reload" | null;

export interface UpdateStep {
  state: UpdateState;
  effect: UpdateEffect;
}

export function nextUpdate(state: UpdateState, event: UpdateEvent): UpdateStep {
  switch (event.type) {
    case "waiting":
      return { state: state === "applying" ? state : "available", effect: null };
    case "accept":
      if (state === "available") return { state: "applying", effect: "skip-waiting" };
      if (state === "activated-elsewhere") return { state, effect: "reload" };
      return { state, effect: null };
    case "dismiss":
      return { state: state === "applying" ? state : "current", effect: null };
    case "controlling":
      if (state === "applying") return { state, effect: "reload" };
      // A first install never takes over the page (no clients.claim()), so a controller change
      // on a page that had none is not an update to offer.
      return { state: event.isUpdate ? "activated-elsewhere" : state, effect: null };
  }
}
