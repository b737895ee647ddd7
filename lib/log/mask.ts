/**
 * Secret masking for logs, console lines and config summaries.
 *
 * @module
 */

/** Field names whose values are always masked (compared case-insensitively, `-` and `_` ignored). */
const SECRET_KEYS = [
  "token",
  "accesstoken",
  "refreshtoken",
  "tenantaccesstoken",
  "appaccesstoken",
  "useraccesstoken",
  "appsecret",
  "secret",
  "clientsecret",
  "password",
  "cookie",
  "setcookie",
  "authorization",
  "xcsrftoken",
  "csrftoken",
  "encryptkey",
  "verificationtoken",
  "session",
  "code",
];

/** True when a field with this name holds a secret. */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, "");
  if (k === "code") return false; // business codes are not secrets; OAuth codes are masked by value rules
  return SECRET_KEYS.includes(k) || k.endsWith("token") || k.endsWith("secret") || k.endsWith("cookie");
}

/**
 * Mask one secret value: `***(14)`, only its length, never a part of it (a prefix such as
 * `sand` or `t-g1` narrows a guess and tells which environment a token belongs to).
 * Values of 8 characters or fewer are just `***`.
 */
export function maskValue(value: string): string {
  if (value.length <= 8) return "***";
  return `***(${value.length})`;
}

const PATTERNS: [RegExp, (m: string, ...g: string[]) => string][] = [
  // A whole Cookie / Set-Cookie header value (e.g. a browser "copy as cURL"): every cookie in
  // it may be a session credential, whatever its name.
  [/((?:set-)?cookie["']?\s*[:=]\s*["']?)([^\r\n"']{4,})/gi, (_m, p, v) => p + maskValue(v)],
  // curl -b / --cookie 'a=b; c=d'
  [/((?:^|\s)(?:-b|--cookie)\s+["'])([^\r\n"']{4,})/g, (_m, p, v) => p + maskValue(v)],
  // The password of a URL's user info (postgres://user:password@host/db, amqp://…)
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi, (_m, p, v, at) => p + maskValue(v) + at],
  // Authorization: Bearer xxx
  [/(Bearer\s+)([A-Za-z0-9._\-~+/=]{6,})/g, (_m, p, v) => p + maskValue(v)],
  // token-like literals Feishu issues: t-..., u-..., a-..., ur-..., JWT eyJ...
  [/\b((?:t|u|a|ur)-[A-Za-z0-9._\-]{10,})/g, (_m, v) => maskValue(v)],
  [/\b(eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*)/g, (_m, v) => maskValue(v)],
  // key=value pairs in cookies, query strings or JSON-ish text
  [
    /((?:session|sessionid|token|access_token|refresh_token|app_secret|client_secret|csrf_token|x-csrf-token|code|password|passport_[a-z_]+|sl_session|lark_oapi_csrf_token)["']?\s*[=:]\s*["']?)([^"'\s;&,}]{4,})/gi,
    // Feishu business codes ("code": 99991663) are not secrets; OAuth codes are not all digits.
    (_m, p, v) => /^code/i.test(p) && /^-?\d+$/.test(v) ? p + v : p + maskValue(v),
  ],
];

/** Mask secrets that appear inside free text (URLs, headers, messages). */
export function maskText(text: string): string {
  let out = text;
  for (const [re, fn] of PATTERNS) out = out.replace(re, fn as (m: string, ...g: string[]) => string);
  return out;
}

/** Deep-copy `value` with every secret field and secret-looking text masked. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[depth]";
  if (typeof value === "string") return maskText(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value && typeof value === "object") {
    if (value instanceof Error) return maskText(value.message);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== ""
        ? maskValue(String(v))
        : maskDeep(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Parameter names masked in request parameters besides secret names (OAuth `code`, `state`, PKCE verifier). */
const PARAM_SECRET_KEYS = ["state", "codeverifier", "code"];
const PARAM_MAX_CHARS = 200;
const PARAM_MAX_ITEMS = 20;

/**
 * Request parameters (query or body) made fit for a log line: secret-named fields, OAuth
 * `code`/`state`/`code_verifier` values and secret-looking text masked ({@linkcode maskDeep}),
 * strings cut to 200 characters, arrays to 20 items, a `FormData` shown as its fields with
 * files as `[file name, n bytes]`. A numeric `code` (Feishu business code) stays readable.
 */
export function maskParams(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[depth]";
  if (typeof value === "string") {
    const masked = maskText(value);
    return masked.length > PARAM_MAX_CHARS
      ? `${masked.slice(0, PARAM_MAX_CHARS)}…(${masked.length})`
      : masked;
  }
  if (value instanceof FormData) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      out[k] = typeof v === "string" ? maskParam(k, v, depth) : `[file ${v.name}, ${v.size} bytes]`;
    }
    return out;
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, PARAM_MAX_ITEMS).map((v) => maskParams(v, depth + 1));
    return value.length > PARAM_MAX_ITEMS ? [...items, `…(+${value.length - PARAM_MAX_ITEMS})`] : items;
  }
  if (value && typeof value === "object") {
    if (value instanceof Error) return maskText(value.message);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = maskParam(k, v, depth);
    return out;
  }
  return value;
}

function maskParam(key: string, value: unknown, depth: number): unknown {
  if (value === undefined || value === null || value === "") return value;
  const k = key.toLowerCase().replace(/[-_]/g, "");
  const numericCode = k === "code" && /^-?\d+$/.test(String(value));
  if ((isSecretKey(key) || PARAM_SECRET_KEYS.includes(k)) && !numericCode) return maskValue(String(value));
  return maskParams(value, depth + 1);
}
