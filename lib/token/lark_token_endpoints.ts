import { errorFromResponse } from "../errors/error_codes.ts";
import { netPermissionError } from "../http/net_permission_error.ts";
import { newRequestId } from "../http/request_id.ts";
import { logAttempt } from "../http/_request_log.ts";
import { LarkError } from "../errors/lark_error.ts";
import { NetworkError } from "../errors/network_error.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { retryTransient, type TransientRetrySettings } from "./_transient_retry.ts";
import type {
  AppCredentials,
  AuthorizationCodeGrant,
  FetchedAppToken,
  RefreshedUserToken,
  TokenEndpoints,
} from "./token_endpoints.ts";

/** Options of {@linkcode LarkTokenEndpoints}. */
export interface LarkTokenEndpointsOptions {
  /** Open platform origin (default `https://open.feishu.cn`; Lark: `https://open.larksuite.com`). */
  baseUrl?: string;
  /** `fetch` to use (default the global `fetch`); tests inject a fake. */
  fetch?: typeof fetch;
  /** Clock for retry backoff (default the system clock). */
  clock?: Clock;
  /** Where each call (one `http` line, secrets masked) and each retry is reported (default silent). */
  logger?: Logger;
  /** Extra attempts for transient failures: network, 5xx, 20050/20072 (default 2). */
  retries?: number;
  /** First retry wait in ms, doubled each retry with ±20% jitter (default 200). */
  backoffMs?: number;
  /** Per-attempt timeout in ms, on real time (default 10 000). */
  timeoutMs?: number;
}

/** Path of the self-built-app tenant token endpoint. */
export const TENANT_TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
/** Path of the self-built-app app token endpoint. */
export const APP_TOKEN_PATH = "/open-apis/auth/v3/app_access_token/internal";
/** Path of the OAuth v2 token endpoint (code exchange and refresh). */
export const OAUTH_TOKEN_PATH = "/open-apis/authen/v2/oauth/token";

interface JsonReply {
  body: Record<string, unknown>;
  status: number;
  logId?: string;
  resetSeconds?: number;
}

/**
 * {@linkcode TokenEndpoints} over plain `fetch` against Feishu's real token
 * endpoints. A non-zero `code` becomes a typed error via `errorFromResponse`
 * (wrong app id/secret → `ConfigError`, dead refresh token → `AuthError`),
 * network failures become `NetworkError`, and transient failures are retried
 * at most {@linkcode LarkTokenEndpointsOptions.retries} times.
 *
 * @example
 * ```ts
 * const endpoints = new LarkTokenEndpoints({ baseUrl: "https://open.feishu.cn" });
 * const { token, expireSeconds } = await endpoints.fetchTenantToken({ appId: "cli_x", appSecret: "…" });
 * ```
 */
export class LarkTokenEndpoints implements TokenEndpoints {
  #base: string;
  #fetch: typeof fetch;
  #timeoutMs: number;
  #retry: TransientRetrySettings;
  #retries = 0;

  /** Create the endpoints; see {@linkcode LarkTokenEndpointsOptions} for defaults. */
  constructor(options: LarkTokenEndpointsOptions = {}) {
    this.#base = (options.baseUrl ?? "https://open.feishu.cn").replace(/\/+$/, "");
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retry = {
      retries: options.retries ?? 2,
      backoffMs: options.backoffMs ?? 200,
      maxWaitMs: 5_000,
      clock: options.clock ?? systemClock,
      logger: options.logger ?? silentLogger,
      onRetry: () => this.#retries++,
    };
  }

  /** Retries made by these endpoints (transient failures of token calls). */
  get retryCount(): number {
    return this.#retries;
  }

  /** See {@linkcode TokenEndpoints.fetchTenantToken}. */
  fetchTenantToken(app: AppCredentials, signal?: AbortSignal): Promise<FetchedAppToken> {
    return this.#appToken(TENANT_TOKEN_PATH, "tenant_access_token", app, signal);
  }

  /** See {@linkcode TokenEndpoints.fetchAppToken}. */
  fetchAppToken(app: AppCredentials, signal?: AbortSignal): Promise<FetchedAppToken> {
    return this.#appToken(APP_TOKEN_PATH, "app_access_token", app, signal);
  }

  /** See {@linkcode TokenEndpoints.refreshUserToken}. */
  refreshUserToken(
    app: AppCredentials,
    refreshToken: string,
    signal?: AbortSignal,
  ): Promise<RefreshedUserToken> {
    return this.#oauthToken({
      grant_type: "refresh_token",
      client_id: app.appId,
      client_secret: app.appSecret,
      refresh_token: refreshToken,
    }, signal);
  }

  /**
   * See {@linkcode TokenEndpoints.exchangeCode}. Failures are typed like
   * refreshes (20003/20004/20065 code used or expired → `BadRequestError`,
   * 20071 redirect mismatch → `ConfigError`); only 20050/20072, 5xx and
   * network errors are retried.
   */
  exchangeCode(
    app: AppCredentials,
    grant: AuthorizationCodeGrant,
    signal?: AbortSignal,
  ): Promise<RefreshedUserToken> {
    const body: Record<string, string> = {
      grant_type: "authorization_code",
      client_id: app.appId,
      client_secret: app.appSecret,
      code: grant.code,
    };
    if (grant.redirectUri) body.redirect_uri = grant.redirectUri;
    if (grant.codeVerifier) body.code_verifier = grant.codeVerifier;
    return this.#oauthToken(body, signal);
  }

  #oauthToken(body: Record<string, string>, signal?: AbortSignal): Promise<RefreshedUserToken> {
    return retryTransient(
      OAUTH_TOKEN_PATH,
      async () => {
        const r = await this.#post(OAUTH_TOKEN_PATH, body, signal);
        const b = r.body;
        const code = typeof b.code === "number" ? b.code : undefined;
        if ((code !== undefined && code !== 0) || r.status >= 400 || typeof b.error === "string") {
          throw failure(r, code, str(b.error_description) ?? str(b.error) ?? str(b.msg), OAUTH_TOKEN_PATH);
        }
        const accessToken = str(b.access_token);
        const expiresIn = num(b.expires_in);
        if (!accessToken || expiresIn === undefined) {
          throw incomplete(
            r,
            "access_token/expires_in",
            OAUTH_TOKEN_PATH,
          );
        }
        return {
          accessToken,
          expiresIn,
          refreshToken: str(b.refresh_token),
          refreshExpiresIn: num(b.refresh_token_expires_in),
          scope: str(b.scope),
        };
      },
      this.#retry,
      signal,
    );
  }

  #appToken(
    path: string,
    field: string,
    app: AppCredentials,
    signal?: AbortSignal,
  ): Promise<FetchedAppToken> {
    const body = { app_id: app.appId, app_secret: app.appSecret };
    return retryTransient(
      path,
      async () => {
        const r = await this.#post(path, body, signal);
        const code = typeof r.body.code === "number" ? r.body.code : undefined;
        if (code !== 0 || r.status >= 400) throw failure(r, code, str(r.body.msg), path);
        const token = str(r.body[field]);
        const expireSeconds = num(r.body.expire);
        if (!token || expireSeconds === undefined) throw incomplete(r, `${field}/expire`, path);
        return { token, expireSeconds };
      },
      this.#retry,
      signal,
    );
  }

  async #post(path: string, payload: unknown, signal?: AbortSignal): Promise<JsonReply> {
    const requestId = newRequestId();
    const t0 = this.#retry.clock.now();
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let status: number;
    let logId: string | undefined;
    let reset: string | null = null;
    let text: string;
    try {
      const res = await this.#fetch(this.#base + path, {
        method: "POST",
        headers: { "Content-Type": "application/json; charset=utf-8", "Oapi-Sdk-Request-Id": requestId },
        body: JSON.stringify(payload),
        signal: attemptSignal,
      });
      status = res.status;
      logId = res.headers.get("x-tt-logid") ?? res.headers.get("x-request-id") ?? undefined;
      reset = res.headers.get("x-ogw-ratelimit-reset");
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      const denied = netPermissionError(e, this.#base + path);
      if (denied) throw denied;
      const timedOut = timeout.aborted;
      throw new NetworkError(timedOut ? `请求超时（${this.#timeoutMs} 毫秒）` : `网络错误：${errText(e)}`, {
        timeout: timedOut,
        endpoint: path,
        cause: e,
        hint: "无法连接飞书开放平台获取令牌：请检查网络与代理设置，稍后重试。",
      });
    }
    const resetSeconds = reset !== null && Number.isFinite(Number(reset)) ? Number(reset) : undefined;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const code = (body as { code?: unknown } | undefined)?.code;
    // One `http` line per token call, like every other Feishu call (secrets in the body masked).
    logAttempt(this.#retry.logger, { method: "POST", path, body: payload }, requestId, {
      status,
      code: typeof code === "number" ? code : undefined,
      logId,
      durationMs: this.#retry.clock.now() - t0,
      waitMs: 0,
    }, true);
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      const msg = `响应不是 JSON（HTTP ${status}）`;
      throw errorFromResponse({ httpStatus: status, logId, endpoint: path, msg, resetSeconds });
    }
    return { body: body as Record<string, unknown>, status, logId, resetSeconds };
  }
}

function failure(
  r: JsonReply,
  code: number | undefined,
  msg: string | undefined,
  endpoint: string,
): LarkError {
  return errorFromResponse({
    code,
    msg,
    httpStatus: r.status,
    logId: r.logId,
    endpoint,
    resetSeconds: r.resetSeconds,
  });
}

function incomplete(r: JsonReply, fields: string, endpoint: string): LarkError {
  return new LarkError(`令牌接口响应缺少 ${fields} 字段`, {
    httpStatus: r.status,
    logId: r.logId,
    endpoint,
    hint: "飞书令牌接口返回了不完整的响应，请稍后重试；持续出现请带上 log_id 反馈。",
  });
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
