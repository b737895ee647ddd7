import { AuthError } from "../errors/auth_error.ts";
import { LarkError } from "../errors/lark_error.ts";
import type { TokenRecord } from "./token_store.ts";
import type { UserAuthStatus, UserTokenInfo } from "./user_token_info.ts";

/** Expiry arithmetic shared by the manager: usable / due / refreshable. */
export class TokenClockRules {
  constructor(readonly refreshRatio: number, readonly expirySkewMs: number) {}

  /** The access token can still be sent (with a small safety margin). */
  usable(r: TokenRecord, now: number): boolean {
    if (r.accessToken === "") return false;
    const lifetime = Math.max(0, r.expiresAt - r.issuedAt);
    return now < r.expiresAt - Math.min(this.expirySkewMs, lifetime / 100);
  }

  /** Less than `refreshRatio` of the lifetime remains: refresh ahead. */
  due(r: TokenRecord, now: number): boolean {
    const lifetime = r.expiresAt - r.issuedAt;
    if (!(lifetime > 0)) return true;
    return r.expiresAt - now < lifetime * this.refreshRatio;
  }

  /** Why a refresh runs (the `reason` of the `token.refresh` log line). */
  refreshReason(
    stored: TokenRecord | undefined,
    now: number,
  ): "missing" | "invalidated" | "expiring" | "expired" {
    if (!stored) return "missing";
    if (stored.status !== undefined && stored.status !== "active") return "invalidated";
    return this.usable(stored, now) ? "expiring" : "expired";
  }

  /** A new access token can be obtained without the user (always for app-level tokens). */
  refreshable(r: TokenRecord, now: number): boolean {
    if (r.kind !== "user") return true;
    if (r.status === "set_aside" || !r.refreshToken) return false;
    return r.refreshExpiresAt === undefined || r.refreshExpiresAt > now;
  }

  /** The user-facing status of a user record. */
  status(r: TokenRecord | undefined, now: number): UserAuthStatus {
    if (!r) return "not_authorized";
    if (r.status === "set_aside") return "set_aside";
    return this.usable(r, now) || this.refreshable(r, now) ? "authorized" : "expired";
  }

  /** Public summary of a user record (no token values). */
  info(r: TokenRecord, now: number): UserTokenInfo {
    return {
      appId: r.appId,
      userId: r.userId ?? "",
      status: this.status(r, now),
      accessExpiresAt: r.accessToken === "" ? 0 : r.expiresAt,
      refreshExpiresAt: r.refreshExpiresAt,
      scope: r.scope,
      updatedAt: r.updatedAt,
    };
  }
}

/** The user must authorize again; `cause` is the refresh failure, if any. */
export function reauthError(appId: string, userId: string, why: string, cause?: unknown): AuthError {
  const src = cause instanceof LarkError ? cause : undefined;
  return new AuthError(`用户 ${userId} 对应用 ${appId} 的授权已失效：${why}`, {
    tokenKind: "refresh",
    tokenInvalid: false,
    code: src?.code,
    httpStatus: src?.httpStatus,
    logId: src?.logId,
    endpoint: src?.endpoint,
    cause,
    hint: `请让用户 ${userId} 重新授权应用 ${appId}（重新走一遍 OAuth 登录）后再试。`,
  });
}

/** The bearer token in a request's headers, if any. */
export function bearerOf(headers: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== "authorization") continue;
    const m = /^Bearer\s+(.+)$/i.exec(v.trim());
    return m ? m[1] : undefined;
  }
  return undefined;
}

/** `promise`, but rejecting early with the signal's reason when `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
