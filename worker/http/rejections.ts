/**
 * One compact structured log record per request the worker refuses (a 4xx it answers itself), so that
 * hostile traffic is visible in Workers Logs (each field indexed), `wrangler tail` and Logpush without
 * logging bodies:
 *   { event: "rejected", status: 405, method: "GET", path: "/idle/…", reason: "Method not allowed: RTMPT uses POST" }
 * A 4xx relayed from an RTMPT origin (proxy mode, e.g. Red5's 404 to /fcs/ident2) is the origin's answer,
 * not a rejection: the proxy marks those responses. 5xx answers are logged by their modules (once per
 * outage for the XMPP upstream), not here.
 */
import { logEvent } from "../shared/log";

const relayed = new WeakSet<Response>();

/** Marks a response as the origin's own answer (not logged as a rejection). */
export function markRelayed(res: Response): Response {
  relayed.add(res);
  return res;
}

const MAX_PATH = 160;
const MAX_REASON = 120;

/** Whether `res` is a rejection by the worker itself (a 4xx it answered, not one relayed from an origin). */
export function isRejection(res: Response): boolean {
  return res.status >= 400 && res.status <= 499 && !relayed.has(res);
}

/** Logs `res` when it is a rejection by the worker itself; never reads more than a short plain-text body. */
export async function logRejection(request: Request, res: Response): Promise<void> {
  if (!isRejection(res)) return;
  const type = res.headers.get("content-type") ?? "";
  let reason = "";
  if (type.startsWith("text/plain") && res.body && Number(res.headers.get("content-length") ?? 0) <= 1024) {
    reason = ((await res.clone().text()).split("\n")[0] ?? "").slice(0, MAX_REASON);
  }
  const path = new URL(request.url).pathname;
  logEvent(
    "rejected",
    {
      status: res.status,
      method: request.method.slice(0, 16),
      path: path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path,
      reason,
    },
    "warn",
  );
}
