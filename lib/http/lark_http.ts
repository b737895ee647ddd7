import type { AuthProvider } from "../auth/auth_provider.ts";
import { AuthError } from "../errors/auth_error.ts";
import { LarkError } from "../errors/lark_error.ts";
import { NetworkError } from "../errors/network_error.ts";
import { RateLimitError } from "../errors/rate_limit_error.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import type { RateLimiter } from "../rate_limit/rate_limiter.ts";
import { attemptsOf, retry, type RetryOptions } from "../retry/retry.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { readJsonBody } from "./_parse.ts";
import { type Judgement, judgeResponse } from "./_judge.ts";
import { netPermissionError } from "./net_permission_error.ts";
import { newRequestId } from "./request_id.ts";

/** Options of {@linkcode LarkHttp}. */
export interface LarkHttpOptions {
  /** Base URL, e.g. `https://open.feishu.cn`, `https://contract.feishu.cn` or the sandbox. */
  baseUrl: string;
  /** `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** Time allowed until response headers arrive (connect + server time), ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** Time allowed for the whole JSON call including the body, ms. Default 30 000. */
  totalTimeoutMs?: number;
  /** Retry settings (defaults: 3 retries, 500 ms base, ×2, 10 s cap, ±20%). */
  retry?: Omit<RetryOptions, "signal" | "clock" | "onRetry" | "onTokenInvalid">;
  /** Shared rate limiter; every call takes a slot in `globalBucket` and its own bucket. */
  limiter?: RateLimiter;
  /** Name of the bucket every call takes (default `"global"`). */
  globalBucket?: string;
  /** Logger for one NDJSON line per attempt. */
  logger?: Logger;
  /** Time source. */
  clock?: Clock;
  /** Default credentials when a request names none. */
  auth?: AuthProvider;
}

/** One call. */
export interface LarkRequest {
  /** HTTP method (default GET). */
  method?: string;
  /** Path below the base URL, e.g. `/open-apis/contract/v1/contracts/search`. */
  path: string;
  /** Query parameters (undefined values are left out). */
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body; a `FormData` is sent as `multipart/form-data` (uploads). */
  body?: unknown;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Credentials; `null` sends none. Default: the client's. */
  auth?: AuthProvider | null;
  /** The endpoint's own rate bucket and log name, e.g. `contract_search`. */
  bucket?: string;
  /** Further rate buckets the call takes a slot in (e.g. a per-document edit budget). */
  extraBuckets?: readonly string[];
  /** Workflow step for logs. */
  step?: string;
  /** Business ids for logs (contract number, meeting id, ...). */
  ids?: Record<string, unknown>;
  /** Cancel the call, its waits and retries. */
  signal?: AbortSignal;
  /**
   * Envelope style: `"data"` (default) returns `body.data`; `"flat"` returns
   * the whole body (auth v3 and OAuth v2 endpoints put fields at top level).
   */
  envelope?: "data" | "flat";
  /** Override the retry count for this call. */
  retries?: number;
  /** Told before each retry of this call (also the one after a refused token is refreshed). */
  onRetry?: (attempt: number) => void;
}

/** A successful call. */
export interface LarkResponse<T> {
  /** `body.data` (or the whole body for flat envelopes). */
  data: T;
  /** The whole parsed body. */
  body: Record<string, unknown>;
  /** HTTP status. */
  status: number;
  /** Feishu `X-Tt-Logid`. */
  logId?: string;
  /** Our request id. */
  requestId: string;
  /** Attempts made (1 = no retry). */
  attempts: number;
  /** Time waited for rate-limit slots, ms. */
  rateLimitWaitMs: number;
  /** Wall time of the whole call, ms. */
  elapsedMs: number;
}

/** A successful binary call: the body is left unread for streaming. */
export interface LarkStreamResponse {
  /** The response with its body still a stream. */
  response: Response;
  /** Feishu `X-Tt-Logid`. */
  logId?: string;
  /** Our request id. */
  requestId: string;
  /** Attempts made. */
  attempts: number;
}

/**
 * The HTTP client every Feishu call goes through: `fetch` with timeouts, the
 * JSON envelope parsed on any HTTP status (success only when `code === 0`),
 * typed errors, retries, shared rate limits, token refresh on a refused token,
 * and one masked NDJSON log line per attempt.
 */
export class LarkHttp {
  #o: LarkHttpOptions;
  #fetch: typeof fetch;
  #clock: Clock;
  #log: Logger;
  #throttled = 0;
  #retries = 0;

  /** The shared rate limiter, if any (API clients define their buckets on it). */
  get limiter(): RateLimiter | undefined {
    return this.#o.limiter;
  }

  /** Create a client for one base URL. */
  constructor(options: LarkHttpOptions) {
    this.#o = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, "") };
    this.#fetch = options.fetch ?? fetch;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
  }

  /** The base URL calls go to. */
  get baseUrl(): string {
    return this.#o.baseUrl;
  }

  /** Throttling answers (HTTP 429 / 99991400 family) seen by this client. */
  get throttledCount(): number {
    return this.#throttled;
  }

  /** Retries this client made (every kind, including the retry after a refreshed token). */
  get retryCount(): number {
    return this.#retries;
  }

  /** Make a JSON call; resolves with `data` on `code === 0`, throws a {@linkcode LarkError} otherwise. */
  async request<T = unknown>(req: LarkRequest): Promise<LarkResponse<T>> {
    const requestId = newRequestId();
    const started = this.#clock.now();
    let waitTotal = 0;
    let lastLogId: string | undefined;
    const { value, attempts } = await this.#withRetry(req, requestId, async (attempt) => {
      waitTotal += await this.#acquire(req);
      const t0 = this.#clock.now();
      const timeout = AbortSignal.timeout(this.#o.totalTimeoutMs ?? 30_000);
      const { res, sentHeaders } = await this.#send(req, requestId, timeout);
      lastLogId = res.headers.get("x-tt-logid") ?? res.headers.get("x-request-id") ?? undefined;
      let parsed: { json?: unknown; text?: string };
      try {
        parsed = await readJsonBody(res);
      } catch (e) {
        throw this.#networkError(e, req, requestId, timeout);
      }
      const out = this.#judge<T>(req, res, parsed, requestId, lastLogId, sentHeaders);
      this.#logAttempt(
        req,
        requestId,
        attempt,
        res.status,
        out.code,
        lastLogId,
        this.#clock.now() - t0,
        waitTotal,
      );
      if (out.error) throw out.error;
      return { data: out.data as T, body: out.body, status: res.status };
    });
    return {
      ...value,
      logId: lastLogId,
      requestId,
      attempts,
      rateLimitWaitMs: waitTotal,
      elapsedMs: this.#clock.now() - started,
    };
  }

  /**
   * Make a binary call (downloads). Success is HTTP 2xx with a non-JSON body,
   * returned unread so the caller can stream it; a JSON body is an error.
   */
  async stream(req: LarkRequest): Promise<LarkStreamResponse> {
    const requestId = newRequestId();
    let logId: string | undefined;
    const { value, attempts } = await this.#withRetry(req, requestId, async (attempt) => {
      const wait = await this.#acquire(req);
      const t0 = this.#clock.now();
      const { res, sentHeaders } = await this.#send(req, requestId, undefined);
      logId = res.headers.get("x-tt-logid") ?? res.headers.get("x-request-id") ?? undefined;
      const type = res.headers.get("content-type") ?? "";
      if (res.ok && !type.includes("json")) {
        this.#logAttempt(req, requestId, attempt, res.status, 0, logId, this.#clock.now() - t0, wait);
        return res;
      }
      const parsed = await readJsonBody(res);
      const out = this.#judge(req, res, parsed, requestId, logId, sentHeaders);
      this.#logAttempt(req, requestId, attempt, res.status, out.code, logId, this.#clock.now() - t0, wait);
      throw out.error ??
        new LarkError("expected a file, got JSON", { requestId, logId, endpoint: req.bucket });
    });
    return { response: value, logId, requestId, attempts };
  }

  async #withRetry<T>(req: LarkRequest, requestId: string, fn: (attempt: number) => Promise<T>) {
    let retried = false;
    try {
      const out = await this.#retryLoop(req, requestId, fn, () => retried = true);
      if (retried) this.#logRetryOutcome(req, requestId, out.attempts, "succeeded");
      return out;
    } catch (e) {
      if (retried) this.#logRetryOutcome(req, requestId, attemptsOf(e), "failed", e);
      throw e;
    }
  }

  /** The end of a retried call: one `retry.outcome` line (attempts, outcome). */
  #logRetryOutcome(
    req: LarkRequest,
    requestId: string,
    attempts: number | undefined,
    outcome: "succeeded" | "failed",
    error?: unknown,
  ) {
    this.#log[outcome === "failed" ? "warn" : "info"]("retry.outcome", {
      request_id: requestId,
      endpoint: req.bucket ?? req.path,
      attempts,
      outcome,
      ...(error instanceof LarkError ? { code: error.code, log_id: error.logId } : {}),
    });
  }

  #retryLoop<T>(
    req: LarkRequest,
    requestId: string,
    fn: (attempt: number) => Promise<T>,
    onRetried: () => void,
  ) {
    return retry(fn, {
      ...this.#o.retry,
      retries: req.retries ?? this.#o.retry?.retries,
      clock: this.#clock,
      signal: req.signal,
      onRetry: ({ attempt, delayMs, error }) => {
        this.#retries++;
        req.onRetry?.(attempt);
        if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
          const until = this.#clock.now() + error.retryAfterMs;
          if (req.bucket) this.#o.limiter?.pause(req.bucket, until);
        }
        onRetried();
        this.#log.warn("retry", {
          request_id: requestId,
          step: req.step,
          endpoint: req.bucket ?? req.path,
          attempt,
          reason: error instanceof LarkError ? error.kind : "error",
          wait_ms: delayMs,
          delay_ms: delayMs,
          outcome: "retrying",
          ...(error instanceof LarkError ? error.toJSON() : { message: String(error) }),
          ...req.ids,
        });
      },
      onTokenInvalid: async (error) => {
        const auth = this.#auth(req);
        const used = (error as AuthError & { sentHeaders?: Record<string, string> }).sentHeaders ?? {};
        return auth?.invalidate ? await auth.invalidate(used) : false;
      },
    });
  }

  #auth(req: LarkRequest): AuthProvider | undefined {
    return req.auth === null ? undefined : req.auth ?? this.#o.auth;
  }

  async #acquire(req: LarkRequest): Promise<number> {
    const limiter = this.#o.limiter;
    if (!limiter) return 0;
    const names = [this.#o.globalBucket ?? "global"];
    if (req.bucket) names.push(req.bucket);
    if (req.extraBuckets) names.push(...req.extraBuckets);
    return await limiter.acquire(names, req.signal);
  }

  async #send(req: LarkRequest, requestId: string, total: AbortSignal | undefined) {
    const url = new URL(this.#o.baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const auth = this.#auth(req);
    const sentHeaders = auth ? await auth.headers(req.signal) : {};
    const headers: Record<string, string> = {
      "Oapi-Sdk-Request-Id": requestId,
      ...sentHeaders,
      ...req.headers,
    };
    let body: string | FormData | undefined;
    if (req.body instanceof FormData) body = req.body;
    else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers["Content-Type"] ??= "application/json; charset=utf-8";
    }
    // The connect timer only covers the time until response headers arrive; the
    // total timer (JSON calls) also covers the body. Downloads have no total timer.
    const connect = new AbortController();
    const timer = setTimeout(
      () => connect.abort(new DOMException("connect timeout", "TimeoutError")),
      this.#o.connectTimeoutMs ?? 10_000,
    );
    const signals = [connect.signal, ...(total ? [total] : []), ...(req.signal ? [req.signal] : [])];
    try {
      const res = await this.#fetch(url, {
        method: req.method ?? "GET",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.any(signals),
      });
      return { res, sentHeaders };
    } catch (e) {
      // A host outside the task's --allow-net list: a configuration problem, never retried.
      const denied = netPermissionError(e, url);
      if (denied) {
        denied.requestId = requestId;
        throw denied;
      }
      throw this.#networkError(e, req, requestId, connect.signal.aborted ? connect.signal : total);
    } finally {
      clearTimeout(timer);
    }
  }

  #networkError(e: unknown, req: LarkRequest, requestId: string, timer?: AbortSignal): unknown {
    if (req.signal?.aborted) return req.signal.reason ?? e;
    if (e instanceof LarkError) return e;
    const timeout = !!timer?.aborted || (e instanceof DOMException && e.name === "TimeoutError");
    return new NetworkError(timeout ? "timeout" : String((e as Error)?.message ?? e), {
      timeout,
      requestId,
      endpoint: req.bucket ?? req.path,
      cause: e,
      hint: timeout
        ? "请求超时，已自动重试；请检查网络或稍后再试。"
        : "网络连接失败，已自动重试；请检查网络与代理设置。",
    });
  }

  #judge<T>(
    req: LarkRequest,
    res: Response,
    parsed: { json?: unknown; text?: string },
    requestId: string,
    logId: string | undefined,
    sentHeaders: Record<string, string>,
  ): Judgement<T> {
    const session = this.#auth(req)?.label.startsWith("cookie") ?? false;
    const out = judgeResponse<T>(req, res, parsed, requestId, logId, sentHeaders, session, this.#clock.now());
    if (out.error instanceof RateLimitError) this.#throttled++;
    return out;
  }

  #logAttempt(
    req: LarkRequest,
    requestId: string,
    attempt: number,
    status: number,
    code: number | undefined,
    logId: string | undefined,
    elapsedMs: number,
    waitMs: number,
  ) {
    const fields = {
      request_id: requestId,
      log_id: logId,
      step: req.step,
      endpoint: req.bucket ?? req.path,
      http_status: status,
      code,
      attempt,
      elapsed_ms: elapsedMs,
      rate_limit_wait_ms: waitMs,
      ...req.ids,
    };
    if (code === 0) this.#log.debug("http", fields);
    else this.#log.info("http", fields);
  }
}
