import { AuthError, type TokenKind } from "./auth_error.ts";
import { BadRequestError } from "./bad_request_error.ts";
import { ConfigError } from "./config_error.ts";
import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";
import { NotFoundError } from "./not_found_error.ts";
import { PermissionError } from "./permission_error.ts";
import { RateLimitError } from "./rate_limit_error.ts";
import { ServerError } from "./server_error.ts";

/** One row of the Feishu error-code table. */
export interface CodeInfo {
  /** Category the code maps to. */
  kind: LarkErrorKind;
  /** Chinese hint for the user. */
  hint: string;
  /** Override of the kind's default retryability. */
  retryable?: boolean;
  /** For auth codes: which token, and whether refreshing it can help. */
  tokenKind?: TokenKind;
  /** For auth codes: refreshing the token can help. */
  tokenInvalid?: boolean;
}

const THROTTLED =
  "飞书限流，已按 x-ogw-ratelimit-reset 等待后重试；若频繁出现请调低配置中的 *_qpm 或并发数。";

/**
 * Feishu codes we classify, from the generic error-code page and the official
 * SDKs/CLI (https://open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN). Codes not listed fall back to
 * the HTTP status.
 */
export const ERROR_CODES: Readonly<Record<number, CodeInfo>> = {
  99991661: { kind: "bad_request", hint: "请求缺少 Authorization 头：这是程序缺陷，请反馈。" },
  99991663: {
    kind: "auth",
    tokenKind: "tenant",
    tokenInvalid: true,
    hint: "tenant_access_token 无效或已过期：已自动重新获取；若仍失败，请确认该接口支持应用身份。",
  },
  99991664: {
    kind: "auth",
    tokenKind: "app",
    tokenInvalid: true,
    hint: "app_access_token 无效：已自动重新获取。",
  },
  99991665: { kind: "auth", tokenKind: "tenant", tokenInvalid: true, hint: "租户凭证无效：已自动重新获取。" },
  99991668: {
    kind: "auth",
    tokenKind: "user",
    tokenInvalid: true,
    hint: "user_access_token 无效：已尝试刷新；若仍失败请让用户重新授权。",
  },
  99991669: { kind: "auth", tokenKind: "refresh", hint: "用户的 refresh_token 已失效，请让用户重新授权。" },
  99991671: { kind: "bad_request", hint: "令牌格式错误（Authorization 头不正确），请反馈此问题。" },
  99991677: {
    kind: "auth",
    tokenKind: "user",
    tokenInvalid: true,
    hint: "user_access_token 已过期：已自动刷新；若仍失败请让用户重新授权。",
  },
  20005: { kind: "auth", tokenKind: "user", tokenInvalid: true, hint: "用户令牌无效，已尝试刷新。" },
  20006: { kind: "auth", tokenKind: "user", tokenInvalid: true, hint: "用户令牌已过期，已尝试刷新。" },
  20013: {
    kind: "auth",
    tokenKind: "tenant",
    tokenInvalid: true,
    hint: "tenant_access_token 无效，已重新获取。",
  },
  20014: { kind: "auth", tokenKind: "app", tokenInvalid: true, hint: "app_access_token 无效，已重新获取。" },
  99991672: {
    kind: "permission",
    hint: "应用未开通该接口所需权限：请在开发者后台「权限管理」中开通对应权限并发布新版本。",
  },
  99991676: { kind: "permission", hint: "令牌缺少所需权限范围：请开通权限并发布版本后重试。" },
  99991679: {
    kind: "permission",
    hint: "用户未授予所需权限：请让用户重新授权（授权页会列出缺少的权限）。",
  },
  230027: { kind: "permission", hint: "缺少消息相关权限或用户未授权，请检查机器人能力与可用范围。" },
  99991662: { kind: "permission", hint: "应用已被停用：请在管理后台启用应用。" },
  99991673: { kind: "permission", hint: "应用未安装到该租户：请管理员安装应用。" },
  99991401: { kind: "permission", hint: "本机 IP 不在应用的 IP 白名单中：请在开发者后台「安全设置」添加。" },
  99991403: { kind: "permission", hint: "本月 API 调用额度已用完（基础版），下月恢复或升级套餐。" },
  99991543: {
    kind: "config",
    hint: "App ID 或 App Secret 错误：请核对配置中的 app_id 与环境变量 FEISHU_APP_SECRET。",
  },
  10003: { kind: "config", hint: "App ID 或 App Secret 错误：请核对配置中的 app_id 与 App Secret。" },
  10014: { kind: "config", hint: "App Secret 错误：请核对环境变量 FEISHU_APP_SECRET。" },
  99991400: { kind: "rate_limit", hint: THROTTLED },
  1000004: { kind: "rate_limit", hint: THROTTLED },
  1000005: { kind: "rate_limit", hint: THROTTLED },
  11232: { kind: "rate_limit", hint: THROTTLED },
  11233: { kind: "rate_limit", hint: THROTTLED },
  11247: { kind: "rate_limit", hint: THROTTLED },
  230020: { kind: "rate_limit", hint: THROTTLED },
  1254290: { kind: "rate_limit", hint: THROTTLED },
  1254291: { kind: "rate_limit", hint: "多维表格写冲突：同一数据表的写入已串行化后重试。" },
  1061045: { kind: "rate_limit", hint: THROTTLED },
  2200: { kind: "server", hint: "飞书内部错误，已自动重试；持续出现请降低调用频率。" },
  5000: { kind: "server", hint: "飞书内部错误，已自动重试。" },
  1500: { kind: "server", hint: "飞书内部错误，已自动重试。" },
  20050: { kind: "server", hint: "飞书授权服务内部错误，已重试。" },
  20072: { kind: "server", hint: "飞书授权服务暂不可用，已重试。" },
  110107: { kind: "not_found", hint: "合同编号不存在，请核对合同编号。" },
  20026: { kind: "auth", tokenKind: "refresh", hint: "refresh_token 无效，请让用户重新授权。" },
  20037: {
    kind: "auth",
    tokenKind: "refresh",
    hint: "refresh_token 已过期（或授权满 365 天），请让用户重新授权。",
  },
  20064: { kind: "auth", tokenKind: "refresh", hint: "refresh_token 已被撤销，请让用户重新授权。" },
  20073: {
    kind: "auth",
    tokenKind: "refresh",
    hint: "refresh_token 已被使用过（单次有效），请让用户重新授权。",
  },
  20074: { kind: "config", hint: "应用未开启「刷新 user_access_token」：请在开发者后台「安全设置」中开启。" },
  20002: { kind: "config", hint: "App Secret 错误：请核对配置。" },
  20003: { kind: "bad_request", hint: "授权码无效或已被使用，请重新发起授权。" },
  20004: { kind: "bad_request", hint: "授权码已过期（5 分钟有效），请重新发起授权。" },
  20065: { kind: "bad_request", hint: "授权码已被使用，请重新发起授权。" },
  20071: { kind: "config", hint: "redirect_uri 与授权时不一致：请核对配置中的回调地址。" },
  2091005: {
    kind: "permission",
    hint: "没有该妙记的访问权限：请确认用户可查看该妙记并开通 minutes:minutes.media:export。",
  },
  2091002: { kind: "not_found", hint: "妙记不存在。" },
  121004: { kind: "not_found", hint: "会议录制不存在或尚未生成。" },
  121005: { kind: "permission", hint: "没有该会议录制的访问权限（用户身份只能读取本人作为所有者的会议）。" },
  40004: { kind: "permission", hint: "超出应用的通讯录权限范围：请在开发者后台调整通讯录数据权限。" },
};

/** Facts about one failed response, as given to {@linkcode errorFromResponse}. */
export interface FailedResponse extends LarkErrorInit {
  /** Feishu's `msg` (or a description when there was no JSON). */
  msg?: string;
  /** Seconds from `x-ogw-ratelimit-reset`, if present. */
  resetSeconds?: number;
}

const DEFINED = new Map<number, CodeInfo>();

/**
 * Add a domain module's codes to the table (the way a new module teaches the
 * core its errors without editing this file). Core codes cannot be replaced;
 * defining a code twice with another kind is a programming error.
 *
 * @example
 * ```ts
 * defineErrorCodes({ 195100: { kind: "not_found", hint: "日程不存在。" } });
 * ```
 */
export function defineErrorCodes(codes: Readonly<Record<number, CodeInfo>>): void {
  for (const [key, info] of Object.entries(codes)) {
    const code = Number(key);
    const known = ERROR_CODES[code] ?? DEFINED.get(code);
    if (known && known.kind !== info.kind) {
      throw new Error(`error code ${code} already defined as ${known.kind}`);
    }
    if (!ERROR_CODES[code]) DEFINED.set(code, info);
  }
}

/** Look up a code in {@linkcode ERROR_CODES}, then in the codes added by {@linkcode defineErrorCodes}. */
export function codeInfo(code: number | undefined): CodeInfo | undefined {
  return code === undefined ? undefined : ERROR_CODES[code] ?? DEFINED.get(code);
}

/**
 * Turn a failed response into the right {@linkcode LarkError} subclass: by
 * Feishu code first, then by HTTP status.
 */
export function errorFromResponse(r: FailedResponse): LarkError {
  const message = r.msg ?? (r.httpStatus ? `HTTP ${r.httpStatus}` : "request failed");
  const info = codeInfo(r.code);
  const base: LarkErrorInit = {
    code: r.code,
    httpStatus: r.httpStatus,
    logId: r.logId,
    requestId: r.requestId,
    endpoint: r.endpoint,
    cause: r.cause,
    hint: info?.hint ?? r.hint,
  };
  if (info?.retryable !== undefined) base.retryable = info.retryable;
  let kind: LarkErrorKind | undefined = info?.kind;
  // 99991668 also means "this API does not accept a user token": refreshing cannot help.
  if (r.code === 99991668 && /not support/i.test(message)) {
    return new PermissionError(message, {
      ...base,
      hint: "该接口不支持 user_access_token，请改用应用身份（tenant_access_token）调用。",
    });
  }
  if (!kind) kind = kindFromStatus(r.httpStatus);
  switch (kind) {
    case "auth":
      return new AuthError(message, {
        ...base,
        tokenKind: info?.tokenKind,
        tokenInvalid: info?.tokenInvalid ?? false,
        hint: base.hint ?? "身份令牌无效，请检查应用凭证或重新授权。",
      });
    case "permission":
      return new PermissionError(message, {
        ...base,
        hint: base.hint ?? "没有访问权限：请检查应用权限与数据范围。",
      });
    case "rate_limit":
      return new RateLimitError(message, {
        ...base,
        hint: base.hint ?? THROTTLED,
        retryAfterMs: r.resetSeconds !== undefined ? Math.max(0, r.resetSeconds * 1000) : undefined,
      });
    case "not_found":
      return new NotFoundError(message, { ...base, hint: base.hint ?? "请求的资源不存在。" });
    case "bad_request":
      return new BadRequestError(message, { ...base, hint: base.hint ?? "请求参数错误，请检查输入。" });
    case "config":
      return new ConfigError(message, { ...base, hint: base.hint ?? "配置错误，请检查配置文件。" });
    case "server":
      return new ServerError(message, { ...base, hint: base.hint ?? "飞书服务暂时异常，已自动重试。" });
    default:
      return new LarkError(message, { ...base, hint: base.hint ?? "未知错误，请查看日志中的 log_id。" });
  }
}

function kindFromStatus(status: number | undefined): LarkErrorKind {
  if (status === undefined) return "unknown";
  if (status === 429) return "rate_limit";
  if (status === 401) return "auth";
  if (status === 403) return "permission";
  if (status === 404) return "not_found";
  if (status >= 500) return "server";
  if (status >= 400) return "bad_request";
  return "unknown";
}
