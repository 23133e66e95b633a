/**
 * Proxy mode's RTMPT requests ahead of the router: a POST whose first path segment is one of the five
 * prefixes followed by `/` (what routes/rtmpt.ts routes to `serve`, RTMPT on, config valid) runs the same
 * checks and handler (`serveProxy`) and gets the same answer, rejection log record and error handling
 * as through Hono (index.ts's middleware and onError), without the router, its middleware chain and its
 * Context on every request of a session. Anything else (another method, `/open` without a slash, RTMPT
 * off, gateway mode, a bad config) is left to the router: null.
 */
import { type Config, ConfigError, type Env, getConfig } from "../env";
import { isRejection, logRejection } from "../http/rejections";
import { RTMPT_PREFIXES } from "../rtmpt/protocol";
import { logEvent } from "../shared/log";
import { serveProxy } from "./rtmpt";

const PREFIXES = new Set<string>(RTMPT_PREFIXES);

/** The first path segment when the path continues after it (`/send/…` → `send`; `/send` → null). */
function firstSegment(path: string): string | null {
  const slash = path.indexOf("/", 1);
  return slash < 0 ? null : path.slice(1, slash);
}

/** The answer to an RTMPT request in proxy mode, or null when the router must route it. */
export function rtmptFastPath(request: Request, env: Env): Promise<Response> | null {
  if (request.method !== "POST") return null;
  const url = new URL(request.url);
  const segment = firstSegment(url.pathname);
  if (segment === null || !PREFIXES.has(segment)) return null;
  const config = getConfig(env);
  if (config instanceof ConfigError || config.rtmptMode !== "proxy") return null;
  return answer(request, url, env, config);
}

async function answer(request: Request, url: URL, env: Env, config: Config): Promise<Response> {
  try {
    const res = await serveProxy(request, url, env, config);
    if (isRejection(res)) await logRejection(request, res);
    return res;
  } catch (err) {
    // As index.ts's onError: logged, and a plain 500 (Hono's c.text type) without the error's text.
    logEvent("unhandled_error", { path: url.pathname, message: String(err) }, "error");
    return new Response("Internal error\n", { status: 500, headers: { "Content-Type": "text/plain; charset=UTF-8" } });
  }
}
