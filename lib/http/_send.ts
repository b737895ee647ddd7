/**
 * One HTTP exchange of {@linkcode LarkHttp}: URL and headers built, the body encoded, the
 * connect and total timers applied, transport failures turned into typed errors.
 *
 * @module
 */
import type { AuthProvider } from "../auth/auth_provider.ts";
import { LarkError } from "../errors/lark_error.ts";
import { NetworkError } from "../errors/network_error.ts";
import type { LarkRequest } from "./lark_request.ts";
import { netPermissionError } from "./net_permission_error.ts";
import { endpointOf } from "./_request_log.ts";

/** What a send needs from its client. */
export interface SendContext {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  /** `fetch` to use. */
  fetch: typeof fetch;
  /** Credentials of this request, if any. */
  auth: AuthProvider | undefined;
  /** Time allowed until response headers arrive, ms. */
  connectTimeoutMs: number;
}

/** Send `req` once; resolves with the response (body unread) and the auth headers sent. */
export async function sendRequest(
  ctx: SendContext,
  req: LarkRequest,
  requestId: string,
  total: AbortSignal | undefined,
): Promise<{ res: Response; sentHeaders: Record<string, string> }> {
  const url = new URL(ctx.baseUrl + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  const sentHeaders = ctx.auth ? await ctx.auth.headers(req.signal) : {};
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
    ctx.connectTimeoutMs,
  );
  const signals = [connect.signal, ...(total ? [total] : []), ...(req.signal ? [req.signal] : [])];
  try {
    const res = await ctx.fetch(url, {
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
    throw networkError(e, req, requestId, connect.signal.aborted ? connect.signal : total);
  } finally {
    clearTimeout(timer);
  }
}

/** A transport failure as a typed {@linkcode NetworkError} (the caller's abort reason as is). */
export function networkError(e: unknown, req: LarkRequest, requestId: string, timer?: AbortSignal): unknown {
  if (req.signal?.aborted) return req.signal.reason ?? e;
  if (e instanceof LarkError) return e;
  const timeout = !!timer?.aborted || (e instanceof DOMException && e.name === "TimeoutError");
  return new NetworkError(timeout ? "timeout" : String((e as Error)?.message ?? e), {
    timeout,
    requestId,
    endpoint: endpointOf(req),
    cause: e,
    hint: timeout
      ? "请求超时，已自动重试；请检查网络或稍后再试。"
      : "网络连接失败，已自动重试；请检查网络与代理设置。",
  });
}
