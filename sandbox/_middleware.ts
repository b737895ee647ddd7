/**
 * Middleware shared by all route modules: the journal (outermost) and the
 * per-endpoint fault layer.
 *
 * @module
 */
import type { SandboxMiddleware } from "./_env.ts";
import { endpointInfo, type EndpointName } from "./endpoints.ts";
import {
  droppedResponse,
  internalError,
  MSG_INVALID_TOKEN,
  openApiError,
  sendJson,
  throttled,
} from "./_respond.ts";
import { loggedOut } from "./_guards.ts";
import type { SandboxState } from "./state.ts";

/** Prefix of the control endpoints, which are neither journaled nor faulted. */
export const CONTROL_PREFIX = "/__sandbox";

/** Record every non-control request in the journal and log it. */
export function journalMiddleware(state: SandboxState): SandboxMiddleware {
  return async (c, next) => {
    if (c.req.path === CONTROL_PREFIX || c.req.path.startsWith(CONTROL_PREFIX + "/")) return await next();
    const entry = state.journal.open({
      ts: state.clock.now(),
      endpoint: "unknown",
      method: c.req.method,
      path: c.req.path,
      query: new URL(c.req.url).search.slice(1),
    });
    c.set("entry", entry);
    await next();
    const gone = entry.fault === "drop" || entry.fault === "hang";
    entry.status = gone ? 0 : c.res.status;
    if (c.res.status === 429) entry.throttled = true;
    if (!gone && entry.code === undefined) entry.code = await peekCode(c.res);
    state.logger.info(`沙箱请求 ${entry.method} ${entry.path} → ${gone ? entry.fault : entry.status}`, {
      endpoint: entry.endpoint,
      code: entry.code,
      http_status: entry.status,
      app_id: entry.appId,
    });
  };
}

/** Name the request's endpoint and apply the fault knobs before the handler runs. */
export function endpoint(state: SandboxState, name: EndpointName): SandboxMiddleware {
  const info = endpointInfo(name)!;
  return async (c, next) => {
    const entry = c.get("entry");
    if (entry) entry.endpoint = name;
    c.set("endpoint", info);
    const decision = state.faults.decide(name);
    if (decision.delayMs > 0) await state.hangs.wait(decision.delayMs);
    if (decision.kind && entry) entry.fault = decision.kind;
    switch (decision.kind) {
      case "hang":
        await state.hangs.wait(Infinity);
        return droppedResponse(c);
      case "drop":
        return droppedResponse(c);
      case "error":
        return internalError(c, state.clock, info.family, decision.errorStatus, decision.errorCode);
      case "rate_limit":
        return throttled(c, state.clock, info.family, configuredLimit(state, name), 1);
      case "auth":
        if (info.family === "clm") return loggedOut(c, state);
        if (info.family === "token") {
          return sendJson(c, state.clock, { code: 10014, msg: "app secret invalid" });
        }
        if (info.family === "oauth") {
          return sendJson(c, state.clock, {
            code: 20002,
            error: "invalid_client",
            error_description: "client_secret 无效",
          }, 400);
        }
        return openApiError(c, state.clock, 400, 99991663, MSG_INVALID_TOKEN);
    }
    await next();
  };
}

function configuredLimit(state: SandboxState, name: string): number | undefined {
  const spec = state.rateLimits.table[name];
  return spec?.perSecond ?? spec?.perMinute;
}

/** The numeric `code` of a JSON response body, without consuming it. */
async function peekCode(res: Response): Promise<number | undefined> {
  if (!res.body || !(res.headers.get("content-type") ?? "").includes("json")) return undefined;
  try {
    const body = await res.clone().json();
    return typeof body?.code === "number" ? body.code : undefined;
  } catch {
    return undefined;
  }
}
