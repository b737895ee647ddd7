/**
 * Application functions and flows (tenant token, as the official pages say):
 * - `POST …/applications/:namespace/functions/:function_api_name/invoke` `{params?: "<JSON string>"}`
 *   → `data.result` (JSON string). The sandbox's functions stand in for AI capabilities:
 *   `summarize` `{text}` → `{summary, length}`, `classify` `{text}` → `{label}`, and `hang`, which
 *   never answers before the sandbox closes (for timeout tests);
 * - `POST …/applications/:namespace/flows/:flow_id/execute`
 *   `{operator: "<JSON {_id|email}>", params?: "<JSON string>", is_async?, idempotent_key?}`
 *   → `data.{status, out_params, execution_id, error_msg, code}`; flows `notifyOwner` (ends at once),
 *   `slowReport` (asynchronous: `running` for 5 s of sandbox time, then `end`), `alwaysFails` (`failed`);
 *   a reused idempotent key is refused;
 * - `GET …/applications/:namespace/flows/executions/:execution_id` → the same shape (UNCONFIRMED register AP-2:
 *   no official page documents reading an execution).
 *
 * @module
 */
import { jsonObject } from "../_json_body.ts";
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { APAAS_PATHS } from "./endpoints.ts";
import { apaasError } from "./_errors.ts";
import { APAAS_NAMESPACE, apaasStore, type FlowExecution } from "./store.ts";

const FLOWS: Record<string, { durationMs: number; fails: boolean }> = {
  notifyOwner: { durationMs: 0, fails: false },
  slowReport: { durationMs: 5_000, fails: false },
  alwaysFails: { durationMs: 0, fails: true },
};

/** Register function and flow routes. */
export function registerApaasRuntimeRoutes(app: SandboxApp, state: SandboxState): void {
  const family = meetingFamily(state);
  const ok = (c: SandboxContext, data: unknown) =>
    sendJson(c, state.clock, { code: 0, msg: "success", data });
  const pre = (c: SandboxContext): Response | undefined => {
    const caller = requireCaller(c, family, { tenant: true, user: false });
    if (caller instanceof Response) return caller;
    const limited = enforceRateLimit(c, state, caller.appId);
    if (limited) return limited;
    if (c.req.param("namespace") !== APAAS_NAMESPACE) {
      return apaasError(c, state, "notFound", "application not found");
    }
    return undefined;
  };
  const body = async (c: SandboxContext): Promise<Record<string, unknown> | Response> =>
    await jsonObject(c) ?? apaasError(c, state, "paramInvalid", "param is invalid", "body");
  const jsonString = (c: SandboxContext, v: unknown, field: string): Record<string, unknown> | Response => {
    if (v === undefined) return {};
    try {
      const parsed = typeof v === "string" ? JSON.parse(v) : undefined;
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed;
    } catch { /* fall through */ }
    return apaasError(c, state, "paramInvalid", "param is invalid", field);
  };

  app.post(APAAS_PATHS.invoke, endpoint(state, "apaas_function_invoke"), async (c) => {
    const refused = pre(c);
    if (refused) return refused;
    const b = await body(c);
    if (b instanceof Response) return b;
    const params = jsonString(c, b.params, "params");
    if (params instanceof Response) return params;
    const text = typeof params.text === "string" ? params.text : "";
    switch (c.req.param("function_api_name")) {
      case "summarize":
        return ok(c, {
          result: JSON.stringify({ summary: [...text].slice(0, 30).join(""), length: [...text].length }),
        });
      case "classify":
        return ok(c, { result: JSON.stringify({ label: /退款|退货/.test(text) ? "售后" : "咨询" }) });
      case "hang":
        await state.hangs.wait(Infinity); // released when the sandbox closes or resets
        return ok(c, { result: "{}" });
      default:
        return apaasError(c, state, "notFound", "function not found");
    }
  });

  app.post(APAAS_PATHS.execute, endpoint(state, "apaas_flow_execute"), async (c) => {
    const refused = pre(c);
    if (refused) return refused;
    const b = await body(c);
    if (b instanceof Response) return b;
    const operator = jsonString(c, b.operator, "operator");
    if (operator instanceof Response) return operator;
    if (operator._id === undefined && operator.email === undefined) {
      return apaasError(c, state, "paramInvalid", "param is invalid", "operator");
    }
    const params = jsonString(c, b.params, "params");
    if (params instanceof Response) return params;
    const flow = FLOWS[c.req.param("flow_id") ?? ""];
    if (!flow) return apaasError(c, state, "notFound", "flow not found");
    const store = apaasStore(state);
    if (typeof b.idempotent_key === "string") {
      if (store.idempotentKeys.has(b.idempotent_key)) {
        return apaasError(c, state, "duplicateKey", "idempotent_key is duplicated", "idempotent_key");
      }
      store.idempotentKeys.add(b.idempotent_key);
    }
    const exec: FlowExecution = {
      executionId: store.newExecutionId(),
      flowId: c.req.param("flow_id") ?? "",
      startedAt: state.clock.now(),
      durationMs: b.is_async === true ? flow.durationMs : 0,
      params,
      fails: flow.fails,
    };
    store.executions.set(exec.executionId, exec);
    return ok(c, executionJson(exec, state.clock.now()));
  });

  app.get(APAAS_PATHS.execution, endpoint(state, "apaas_flow_execution"), (c) => {
    const refused = pre(c);
    if (refused) return refused;
    const exec = apaasStore(state).executions.get(c.req.param("execution_id") ?? "");
    if (!exec) return apaasError(c, state, "notFound", "execution not found");
    return ok(c, executionJson(exec, state.clock.now()));
  });
}

function executionJson(e: FlowExecution, now: number): Record<string, unknown> {
  const running = now - e.startedAt < e.durationMs;
  const status = running ? "running" : e.fails ? "failed" : "end";
  const out = running || e.fails ? [] : [
    { api_name: "_flowExecutionID", value: Number(e.executionId) },
    { api_name: "echo", value: e.params },
  ];
  return {
    status,
    out_params: JSON.stringify(out),
    execution_id: e.executionId,
    error_msg: status === "failed" ? "节点执行失败" : "",
    code: status === "failed" ? "FLOW_NODE_FAILED" : "",
  };
}
