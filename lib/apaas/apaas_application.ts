import type { AuthProvider } from "../auth/auth_provider.ts";
import { ParamError } from "../errors/param_error.ts";
import type { LarkHttp, LarkRequest } from "../http/lark_http.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { classifyApaasError } from "./_classify.ts";
import { checkName, checkToken } from "./_validate.ts";
import { ApaasTimeoutError } from "./apaas_timeout_error.ts";

/** Default time allowed for an AI capability call, ms. */
export const AI_DEFAULT_TIMEOUT_MS = 30_000;

/** Options of {@linkcode ApaasApplication}. */
export interface ApaasApplicationOptions {
  /** Application namespace, e.g. `package_7344545d87__c`. */
  namespace: string;
  /** Credentials (these endpoints document the tenant token; default the client's). */
  auth?: AuthProvider;
  /** Time source of timeouts and waits (default the system clock). */
  clock?: Clock;
}

/** Options of {@linkcode ApaasApplication.invokeAi}. */
export interface InvokeAiOptions {
  /** Time allowed, ms (default 30 000); past it the request is aborted with {@linkcode ApaasTimeoutError}. */
  timeoutMs?: number;
  /** Cancel. */
  signal?: AbortSignal;
}

/** Who a flow runs as: the aPaaS user's `_id` or email (one of them). */
export interface FlowOperator {
  /** aPaaS user id. */
  id?: number | string;
  /** aPaaS user email. */
  email?: string;
}

/** How to start a flow. */
export interface ExecuteFlowInput {
  /** Who runs it. */
  operator: FlowOperator;
  /** Input parameters (sent as a JSON string). */
  params?: Record<string, unknown>;
  /** Return at once with status `running` and poll with {@linkcode ApaasApplication.flowExecution}. */
  async?: boolean;
  /** Refuses a second start with the same key (generate one per logical request). */
  idempotentKey?: string;
}

/** A flow execution. */
export interface FlowExecution {
  /** Execution id. */
  executionId: string;
  /** Feishu's status, e.g. `running`, `end`, `failed`. */
  status: string;
  /** True once the flow stopped (ended or failed). */
  done: boolean;
  /** True when it ended without error. */
  ok: boolean;
  /** Output parameters, by `api_name`. */
  output: Record<string, unknown>;
  /** Error message of a failed flow. */
  errorMessage?: string;
  /** Error code of a failed flow. */
  errorCode?: string;
}

const RUNNING = new Set(["running", "pending", "processing", "in_process", "waiting"]);
const FAILED = new Set(["failed", "fail", "error", "canceled", "cancelled", "terminated"]);

/**
 * Functions and flows of one aPaaS application
 * (`apaas/v1/applications/:namespace/…`): AI capabilities invoked as the
 * application's functions (`functions/:name/invoke`, 30 s default timeout, the
 * request aborted past it), and automation flows (`flows/:flow_id/execute`, then
 * the execution's status and result).
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * const app = new ApaasApplication(http, { namespace: "package_7344545d87__c" });
 * const { summary } = await app.invokeAi<{ summary: string }>("summarize", { text: "……" });
 * const run = await app.executeFlow("notifyOwner", { operator: { email: "zhangsan@example.com" }, params: { id: 1 } });
 * ```
 */
export class ApaasApplication {
  #http: LarkHttp;
  #o: ApaasApplicationOptions;
  #clock: Clock;
  /** The application namespace. */
  readonly namespace: string;

  /** Bind to an application. */
  constructor(http: LarkHttp, options: ApaasApplicationOptions) {
    this.#http = http;
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.namespace = checkToken("namespace", options.namespace);
  }

  /**
   * Invoke an AI capability (a function of the application) with `params`;
   * resolves with its parsed result. Past `timeoutMs` (default 30 s) the request
   * is aborted and {@linkcode ApaasTimeoutError} thrown.
   */
  async invokeAi<T = unknown>(
    fn: string,
    params: Record<string, unknown> = {},
    o: InvokeAiOptions = {},
  ): Promise<T> {
    checkName("function", fn);
    checkParams(params);
    const timeoutMs = o.timeoutMs ?? AI_DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new ParamError("timeoutMs", "应为正数（毫秒）");
    }
    const deadline = new AbortController();
    const done = new AbortController();
    this.#clock.sleep(timeoutMs, done.signal).then(
      () =>
        deadline.abort(new ApaasTimeoutError(`function ${fn} timed out after ${timeoutMs} ms`, timeoutMs)),
      () => {},
    );
    const signal = o.signal ? AbortSignal.any([o.signal, deadline.signal]) : deadline.signal;
    try {
      const d = await this.#call<{ result?: string }>({
        method: "POST",
        path: `${this.#base()}/functions/${fn}/invoke`,
        body: { params: JSON.stringify(params) },
        step: "apaas_ai_invoke",
      }, signal);
      return (d.result ? JSON.parse(d.result) : null) as T;
    } catch (e) {
      if (deadline.signal.aborted && !o.signal?.aborted) throw deadline.signal.reason;
      throw e;
    } finally {
      done.abort();
    }
  }

  /** Start a flow with parameters. */
  async executeFlow(flowId: string, input: ExecuteFlowInput, signal?: AbortSignal): Promise<FlowExecution> {
    checkName("flowId", flowId);
    const op = input?.operator;
    if (!op || (op.id === undefined && !op.email)) {
      throw new ParamError("operator", "须提供操作人的 id 或 email");
    }
    if (input.params !== undefined) checkParams(input.params);
    if (input.idempotentKey !== undefined && !/^[\w-]{1,128}$/.test(input.idempotentKey)) {
      throw new ParamError("idempotentKey", "应为 1–128 个字母数字、下划线或连字符");
    }
    const d = await this.#call<Record<string, unknown>>({
      method: "POST",
      path: `${this.#base()}/flows/${flowId}/execute`,
      body: {
        operator: JSON.stringify({
          ...(op.id !== undefined ? { _id: op.id } : {}),
          ...(op.email ? { email: op.email } : {}),
        }),
        ...(input.params ? { params: JSON.stringify(input.params) } : {}),
        ...(input.async ? { is_async: true } : {}),
        ...(input.idempotentKey ? { idempotent_key: input.idempotentKey } : {}),
      },
      bucket: "apaas_flow",
      step: "apaas_flow_execute",
    }, signal);
    return execution(d);
  }

  /** An execution's status and result (endpoint UNCONFIRMED: no official page documents it). */
  async flowExecution(executionId: string, signal?: AbortSignal): Promise<FlowExecution> {
    checkToken("executionId", executionId);
    const d = await this.#call<Record<string, unknown>>({
      path: `${this.#base()}/flows/executions/${executionId}`,
      step: "apaas_flow_execution",
    }, signal);
    return execution(d);
  }

  /** Poll an execution until it stops (every `intervalMs`, default 1 s; at most `timeoutMs`, default 10 min). */
  async waitForFlow(
    executionId: string,
    o: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<FlowExecution> {
    const interval = o.intervalMs ?? 1000, limit = o.timeoutMs ?? 600_000;
    const start = this.#clock.now();
    for (;;) {
      const e = await this.flowExecution(executionId, o.signal);
      if (e.done) return e;
      if (this.#clock.now() - start + interval > limit) {
        throw new ApaasTimeoutError(`flow execution ${executionId} still ${e.status}`, limit);
      }
      await this.#clock.sleep(interval, o.signal);
    }
  }

  #base(): string {
    return `/open-apis/apaas/v1/applications/${this.namespace}`;
  }

  async #call<T>(req: Omit<LarkRequest, "auth" | "signal">, signal?: AbortSignal): Promise<T> {
    try {
      const res = await this.#http.request<T>({
        ...req,
        auth: this.#o.auth,
        signal,
        ids: { namespace: this.namespace },
      });
      return res.data ?? ({} as T);
    } catch (e) {
      throw classifyApaasError(e, ["app_engine:flow:write"]);
    }
  }
}

function checkParams(params: unknown): void {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new ParamError("params", "应为对象（将以 JSON 字符串发送）");
  }
}

function execution(d: Record<string, unknown>): FlowExecution {
  const status = String(d.status ?? "");
  let outParams: unknown = [];
  try {
    outParams = typeof d.out_params === "string" && d.out_params !== "" ? JSON.parse(d.out_params) : [];
  } catch { /* keep empty */ }
  const output: Record<string, unknown> = {};
  if (Array.isArray(outParams)) {
    for (const p of outParams) {
      if (p && typeof p === "object" && "api_name" in p) output[String(p.api_name)] = p.value;
    }
  }
  const failed = FAILED.has(status.toLowerCase()) || (typeof d.error_msg === "string" && d.error_msg !== "");
  return {
    executionId: String(d.execution_id ?? ""),
    status,
    done: failed || !RUNNING.has(status.toLowerCase()),
    ok: !failed && !RUNNING.has(status.toLowerCase()),
    output,
    errorMessage: typeof d.error_msg === "string" && d.error_msg !== "" ? d.error_msg : undefined,
    errorCode: typeof d.code === "string" && d.code !== "" ? d.code : undefined,
  };
}
