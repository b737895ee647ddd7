import { AuthError } from "./auth_error.ts";
import { BadRequestError } from "./bad_request_error.ts";
import { ConfigError } from "./config_error.ts";
import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";
import { NetworkError } from "./network_error.ts";
import { NotFoundError } from "./not_found_error.ts";
import { PermissionError } from "./permission_error.ts";
import { RateLimitError } from "./rate_limit_error.ts";
import { ServerError } from "./server_error.ts";
import { SessionError } from "./session_error.ts";

/** A {@linkcode LarkError} as plain data (what crosses a Worker boundary). */
export interface LarkErrorData extends Omit<LarkErrorInit, "cause"> {
  /** Failure category (selects the class). */
  kind: LarkErrorKind;
  /** Technical message. */
  message: string;
}

/** The plain data of `e`, for `postMessage`. */
export function larkErrorData(e: LarkError): LarkErrorData {
  return {
    kind: e.kind,
    message: e.message,
    code: e.code,
    httpStatus: e.httpStatus,
    logId: e.logId,
    requestId: e.requestId,
    retryable: e.retryable,
    hint: e.hint,
    endpoint: e.endpoint,
  };
}

const CLASSES: Record<LarkErrorKind, new (message: string, init?: LarkErrorInit) => LarkError> = {
  config: ConfigError,
  auth: AuthError,
  permission: PermissionError,
  rate_limit: RateLimitError,
  not_found: NotFoundError,
  bad_request: BadRequestError,
  network: NetworkError,
  server: ServerError,
  session: SessionError,
  unknown: LarkError,
};

/**
 * The error of {@linkcode larkErrorData} again, as an instance of the class of
 * its kind (so `instanceof`, `kind`, `hint` and `userMessage()` work as before).
 *
 * @example
 * ```ts
 * import { ConfigError } from "./config_error.ts";
 * import { larkErrorData, reviveLarkError } from "./revive_error.ts";
 * const back = reviveLarkError(larkErrorData(new ConfigError("bad", { hint: "请检查配置" })));
 * back instanceof ConfigError; // true
 * ```
 */
export function reviveLarkError(data: LarkErrorData): LarkError {
  const { kind, message, ...init } = data;
  return new (CLASSES[kind] ?? LarkError)(message, init);
}
