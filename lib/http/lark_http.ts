import type { AuthProvider } from "../auth/auth_provider.ts";
import { AuthError } from "../errors/auth_error.ts";
import { LarkError } from "../errors/lark_error.ts";
import { RateLimitError } from "../errors/rate_limit_error.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import type { RateLimiter } from "../rate_limit/rate_limiter.ts";
import { attemptsOf, retry, type RetryOptions } from "../retry/retry.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { readJsonBody } from "./_parse.ts";
import { type Judgement, judgeResponse } from "./_judge.ts";
import type { LarkRequest, LarkResponse, LarkStreamResponse } from "./lark_request.ts";
import { newRequestId } from "./request_id.ts";
import { noteRequestId } from "./trace_requests.ts";
import { type AttemptOutcome, logAttempt, logRetry, logRetryOutcome } from "./_request_log.ts";
import { networkError, sendRequest } from "./_send.ts";

export type { LarkRequest, LarkResponse, LarkStreamResponse } from "./lark_request.ts";

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
  /**
   * Logger for one NDJSON `http` line per attempt (request id, endpoint, masked query and
   * body parameters, status, Feishu code, duration, log id).
   */
  logger?: Logger;
  /**
   * Log successful attempts at `info` as well (default `false`: at `debug`, so a logger at
   * `info` records only failed attempts). The core service turns it on: one line per request.
   */
  logSuccessAtInfo?: boolean;
  /** Time source. */
  clock?: Clock;
  /** Default credentials when a request names none. */
  auth?: AuthProvider;
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
        throw networkError(e, req, requestId, timeout);
      }
      const out = this.#judge<T>(req, res, parsed, requestId, lastLogId, sentHeaders);
      this.#logAttempt(req, requestId, {
        attempt,
        status: res.status,
        code: out.code,
        logId: lastLogId,
        durationMs: this.#clock.now() - t0,
        waitMs: waitTotal,
      });
      if (out.error) throw out.error;
      return { data: out.data as T, body: out.body, status: res.status };
    });
    noteRequestId(requestId);
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
        this.#logAttempt(req, requestId, {
          attempt,
          status: res.status,
          code: 0,
          logId,
          durationMs: this.#clock.now() - t0,
          waitMs: wait,
        });
        return res;
      }
      const parsed = await readJsonBody(res);
      const out = this.#judge(req, res, parsed, requestId, logId, sentHeaders);
      this.#logAttempt(req, requestId, {
        attempt,
        status: res.status,
        code: out.code,
        logId,
        durationMs: this.#clock.now() - t0,
        waitMs: wait,
      });
      throw out.error ??
        new LarkError("expected a file, got JSON", { requestId, logId, endpoint: req.bucket });
    });
    noteRequestId(requestId);
    return { response: value, logId, requestId, attempts };
  }

  async #withRetry<T>(req: LarkRequest, requestId: string, fn: (attempt: number) => Promise<T>) {
    let retried = false;
    try {
      const out = await this.#retryLoop(req, requestId, fn, () => retried = true);
      if (retried) logRetryOutcome(this.#log, req, requestId, out.attempts, "succeeded");
      return out;
    } catch (e) {
      if (retried) logRetryOutcome(this.#log, req, requestId, attemptsOf(e), "failed", e);
      throw e;
    }
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
        logRetry(this.#log, req, requestId, { attempt, delayMs, error });
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

  #send(req: LarkRequest, requestId: string, total: AbortSignal | undefined) {
    return sendRequest(
      {
        baseUrl: this.#o.baseUrl,
        fetch: this.#fetch,
        auth: this.#auth(req),
        connectTimeoutMs: this.#o.connectTimeoutMs ?? 10_000,
      },
      req,
      requestId,
      total,
    );
  }

  #logAttempt(req: LarkRequest, requestId: string, out: AttemptOutcome) {
    logAttempt(this.#log, req, requestId, out, this.#o.logSuccessAtInfo ?? false);
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
}
