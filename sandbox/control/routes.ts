/**
 * Control endpoints under `/__sandbox` (not journaled, never faulted):
 * - `GET  /__sandbox`             apps, sessions, endpoints, examples;
 * - `GET  /__sandbox/examples`    example contract numbers per category;
 * - `GET  /__sandbox/faults`      current fault settings;
 * - `POST /__sandbox/faults`      change them (body: see {@linkcode FaultRequest});
 * - `GET  /__sandbox/journal`     journal (`?endpoint=` to filter); `DELETE` clears it;
 * - `GET|POST /__sandbox/rate_limits` read / change limits (`{"<name>": {perSecond, perMinute} | null}`;
 *   `{"off": true}` removes every limit, `{"documented": true}` restores the documented ones);
 * - `POST /__sandbox/reset`       back to a fresh start.
 *
 * Answers are `{code:0, message:"ok", data}`; bad requests HTTP 400 `{code:400, message}`.
 *
 * @module
 */
import { registerExportControlRoutes } from "./_export.ts";
import { registerMeetingControlRoutes } from "./_meeting.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { CONTROL_PREFIX } from "../_middleware.ts";
import { ENDPOINTS, isEndpointName } from "../endpoints.ts";
import {
  FAULT_KINDS,
  type FaultKind,
  type FaultRule,
  type FaultTarget,
  LOGGED_OUT_STYLES,
  type LoggedOutStyle,
} from "../faults.ts";
import type { RateLimitSpec } from "../options.ts";
import { DOCUMENTED_RATE_LIMITS, EXTRA_LIMIT_NAMES } from "../rate_limits.ts";
import type { SandboxState } from "../state.ts";

/** One deterministic fault request: the next `n` (default 1) calls answer `kind` (default `"error"`). */
export interface FailNextRequest {
  /** Target endpoint name or `"*"`. */
  endpoint: FaultTarget;
  /** How many calls. */
  n?: number;
  /** Fault kind. */
  kind?: FaultKind;
}

/** Body of `POST /__sandbox/faults`; every part optional, applied in this order. */
export interface FaultRequest {
  /** Clear all settings (`true`) or one target's rule and queue. */
  clear?: true | FaultTarget;
  /** Rules to set, by target (`"*"` or an endpoint name); `null` removes one. */
  rules?: Record<string, FaultRule | null>;
  /** Deterministic faults to queue. */
  failNext?: FailNextRequest | FailNextRequest[];
  /** Revoke every token issued so far. */
  revokeTokens?: boolean;
  /** Expire every CLM session. */
  expireSessions?: boolean;
  /** Make the configured CLM sessions valid again. */
  restoreSessions?: boolean;
  /** How CLM endpoints refuse a missing/expired session. */
  loggedOutStyle?: LoggedOutStyle;
  /** Let hanging requests finish (dropped). */
  releaseHangs?: boolean;
}

/** Register the control endpoints on `app`. */
export function registerControlRoutes(app: SandboxApp, state: SandboxState): void {
  registerExportControlRoutes(app, state);
  registerMeetingControlRoutes(app, meetingFamily(state));
  const ok = (c: SandboxContext, data: unknown) => c.json({ code: 0, message: "ok", data });
  const bad = (c: SandboxContext, message: string) => c.json({ code: 400, message }, 400);

  app.get(CONTROL_PREFIX, (c) =>
    ok(c, {
      apps: state.options.apps.map((a) => ({ app_id: a.appId, app_secret: a.appSecret })),
      sessions: state.sessions.values,
      contract_count: state.contracts.length,
      seed: state.options.seed,
      endpoints: ENDPOINTS,
      examples: state.contractIndex.examples(),
      rate_limits: state.rateLimits.table,
    }));
  app.get(
    `${CONTROL_PREFIX}/examples`,
    (c) => ok(c, state.contractIndex.examples(Math.min(50, Math.max(1, Number(c.req.query("n")) || 3)))),
  );
  app.get(`${CONTROL_PREFIX}/faults`, (c) => ok(c, state.faults.snapshot()));
  app.post(`${CONTROL_PREFIX}/faults`, async (c) => {
    let body: FaultRequest;
    try {
      body = await c.req.json();
      applyFaultRequest(state, body);
    } catch (e) {
      return bad(c, `故障设置无效：${e instanceof Error ? e.message : String(e)}`);
    }
    return ok(c, state.faults.snapshot());
  });
  app.get(`${CONTROL_PREFIX}/journal`, (c) => {
    const endpoint = c.req.query("endpoint");
    return ok(c, {
      entries: state.journal.filter(endpoint),
      counts: state.journal.counts(),
      throttled: state.journal.countThrottled(endpoint),
    });
  });
  app.delete(`${CONTROL_PREFIX}/journal`, (c) => {
    state.journal.clear();
    return ok(c, null);
  });
  app.get(`${CONTROL_PREFIX}/rate_limits`, (c) => ok(c, state.rateLimits.table));
  app.post(`${CONTROL_PREFIX}/rate_limits`, async (c) => {
    try {
      const body = await c.req.json() as Record<string, RateLimitSpec | null | boolean>;
      if (body.off === true) state.rateLimits.clear();
      if (body.documented === true) {
        for (const [name, spec] of Object.entries(DOCUMENTED_RATE_LIMITS)) state.rateLimits.set(name, spec);
      }
      for (const [name, spec] of Object.entries(body)) {
        if (name === "off" || name === "documented") continue;
        if (typeof spec === "boolean") throw new RangeError(`${name} 的取值必须是限流对象或 null`);
        if (!EXTRA_LIMIT_NAMES.includes(name) && !isEndpointName(name)) {
          throw new RangeError(`未知的接口名：${name}`);
        }
        state.rateLimits.set(name, spec ?? undefined);
      }
    } catch (e) {
      return bad(c, `限流设置无效：${e instanceof Error ? e.message : String(e)}`);
    }
    return ok(c, state.rateLimits.table);
  });
  app.post(`${CONTROL_PREFIX}/reset`, (c) => {
    state.reset();
    return ok(c, null);
  });
}

/** Apply a {@linkcode FaultRequest}; throws `RangeError` on invalid input. */
export function applyFaultRequest(state: SandboxState, body: FaultRequest): void {
  if (body === null || typeof body !== "object") throw new RangeError("请求体必须是 JSON 对象");
  const faults = state.faults;
  if (body.clear !== undefined) faults.clear(body.clear === true ? undefined : target(body.clear));
  for (const [name, rule] of Object.entries(body.rules ?? {})) {
    if (rule === null) faults.clear(target(name));
    else faults.set(target(name), rule);
  }
  const queue = body.failNext === undefined
    ? []
    : Array.isArray(body.failNext)
    ? body.failNext
    : [body.failNext];
  for (const item of queue) {
    const kind = item.kind ?? "error";
    if (!FAULT_KINDS.includes(kind)) throw new RangeError(`未知的故障类型：${kind}`);
    faults.failNext(target(item.endpoint), item.n ?? 1, kind);
  }
  if (body.revokeTokens) faults.revokeTokens();
  if (body.expireSessions) faults.expireSessions();
  if (body.restoreSessions) faults.restoreSessions();
  if (body.loggedOutStyle !== undefined) {
    if (!LOGGED_OUT_STYLES.includes(body.loggedOutStyle)) {
      throw new RangeError(`未知的登录失效表现：${body.loggedOutStyle}`);
    }
    faults.setLoggedOutStyle(body.loggedOutStyle);
  }
  if (body.releaseHangs) faults.releaseHangs();
}

function target(name: string): FaultTarget {
  if (name === "*" || isEndpointName(name)) return name;
  throw new RangeError(`未知的接口名：${name}（可用：* 或 ${ENDPOINTS.map((e) => e.name).join("、")}）`);
}
