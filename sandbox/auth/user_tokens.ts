/**
 * User OAuth state of the sandbox (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/authentication-management/access-token/refresh-user-access-token):
 * authorization codes (5 min, single use), user access tokens (JWT-like
 * `eyJ…`, lifetime configurable) and single-use rotating refresh tokens
 * (only with `offline_access`; the old one dies as soon as it is used; hard
 * cap 365 days after the user's authorization). Times follow the sandbox clock.
 *
 * @module
 */
import type { Clock } from "../../lib/time/mod.ts";
import { randomHex, toBase64Url } from "../events/event_crypto.ts";

/** Lifetime of an authorization code (Feishu: 5 min). */
export const AUTH_CODE_TTL_MS = 5 * 60_000;
/** Hard cap of a refresh chain after the user's authorization (Feishu: 365 days). */
export const AUTHORIZATION_CAP_MS = 365 * 86_400_000;

/** One authorization code. */
export interface AuthCodeRecord {
  /** The code (`[A-Za-z0-9_-]`). */
  code: string;
  /** App (client_id). */
  appId: string;
  /** User's open_id. */
  openId: string;
  /** Redirect URI used at authorize. */
  redirectUri: string;
  /** Granted scopes. */
  scope: string[];
  /** PKCE challenge, if any. */
  codeChallenge?: string;
  /** PKCE method (`S256` or `plain`). */
  codeChallengeMethod?: string;
  /** Expiry, ms (sandbox clock). */
  expiresAt: number;
  /** Redeemed already. */
  used: boolean;
}

/** One user access or refresh token. */
export interface UserTokenRecord {
  /** Token text. */
  value: string;
  /** `access` or `refresh`. */
  kind: "access" | "refresh";
  /** App it was issued to. */
  appId: string;
  /** User's open_id. */
  openId: string;
  /** Scopes. */
  scope: string[];
  /** Issue time, ms. */
  issuedAt: number;
  /** Expiry, ms. */
  expiresAt: number;
  /** When the user authorized (start of the 365-day cap), ms. */
  authorizedAt: number;
  /** Refresh tokens: already exchanged (rotation). */
  used: boolean;
  /** Revoked by a knob. */
  revoked: boolean;
}

/** Why a token or code was refused. */
export type UserTokenProblem = "unknown" | "expired" | "revoked" | "used";

/** Result of a check. */
export type Checked<T> = { ok: true; record: T } | { ok: false; reason: UserTokenProblem; record?: T };

/** Lifetimes, read on every issue so `configure` can change them. */
export interface UserTokenLifetimes {
  /** Access token lifetime, s. */
  userTokenLifetimeSec: number;
  /** Refresh token lifetime, s. */
  refreshTokenLifetimeSec: number;
}

/** Issued pair. */
export interface IssuedUserTokens {
  /** The access token. */
  access: UserTokenRecord;
  /** The refresh token (only with `offline_access`). */
  refresh?: UserTokenRecord;
}

/** Codes and user tokens. */
export class UserTokenStore {
  readonly #clock: Clock;
  readonly #lifetimes: () => UserTokenLifetimes;
  readonly #codes = new Map<string, AuthCodeRecord>();
  readonly #tokens = new Map<string, UserTokenRecord>();

  /** Create the store. */
  constructor(clock: Clock, lifetimes: () => UserTokenLifetimes) {
    this.#clock = clock;
    this.#lifetimes = lifetimes;
  }

  /** Issue an authorization code. */
  newCode(init: Omit<AuthCodeRecord, "code" | "expiresAt" | "used">): AuthCodeRecord {
    const record: AuthCodeRecord = {
      ...init,
      code: toBase64Url(crypto.getRandomValues(new Uint8Array(24))),
      expiresAt: this.#clock.now() + AUTH_CODE_TTL_MS,
      used: false,
    };
    this.#codes.set(record.code, record);
    return record;
  }

  /** Redeem a code (marks it used even when it turns out expired). */
  redeemCode(code: string): Checked<AuthCodeRecord> {
    const record = this.#codes.get(code);
    if (!record) return { ok: false, reason: "unknown" };
    if (record.used) return { ok: false, reason: "used", record };
    record.used = true;
    if (this.#clock.now() >= record.expiresAt) return { ok: false, reason: "expired", record };
    return { ok: true, record };
  }

  /** Issue an access token, plus a refresh token when `offline_access` is in `scope`. */
  issue(appId: string, openId: string, scope: string[], authorizedAt: number): IssuedUserTokens {
    const now = this.#clock.now();
    const { userTokenLifetimeSec, refreshTokenLifetimeSec } = this.#lifetimes();
    const make = (kind: "access" | "refresh", expiresAt: number): UserTokenRecord => {
      const record: UserTokenRecord = {
        value: jwtLike(kind, appId, openId, now, expiresAt),
        kind,
        appId,
        openId,
        scope: [...scope],
        issuedAt: now,
        expiresAt,
        authorizedAt,
        used: false,
        revoked: false,
      };
      this.#tokens.set(record.value, record);
      return record;
    };
    const access = make("access", now + userTokenLifetimeSec * 1000);
    if (!scope.includes("offline_access")) return { access };
    const refresh = make(
      "refresh",
      Math.min(now + refreshTokenLifetimeSec * 1000, authorizedAt + AUTHORIZATION_CAP_MS),
    );
    return { access, refresh };
  }

  /** Validate a user access token. */
  checkAccess(value: string): Checked<UserTokenRecord> {
    return this.#check(value, "access");
  }

  /** The record of a token, without any check. */
  peek(value: string): UserTokenRecord | undefined {
    return this.#tokens.get(value);
  }

  /** Take a refresh token for rotation: valid → marked used (it dies now). */
  useRefresh(value: string): Checked<UserTokenRecord> {
    const checked = this.#check(value, "refresh");
    if (checked.ok) checked.record.used = true;
    return checked;
  }

  /** Revoke every token of a user (all users when omitted). Returns how many were live. */
  revoke(openId?: string): number {
    return this.#each(openId, (t) => {
      t.revoked = true;
    });
  }

  /** Expire the access tokens (`"access"`) or refresh tokens (`"refresh"`) of a user (all when omitted). */
  expire(kind: "access" | "refresh", openId?: string): number {
    const now = this.#clock.now();
    return this.#each(openId, (t) => {
      if (t.kind === kind) t.expiresAt = Math.min(t.expiresAt, now);
    });
  }

  /** Every token issued (newest last). */
  get tokens(): readonly UserTokenRecord[] {
    return [...this.#tokens.values()];
  }

  /** Forget everything. */
  clear(): void {
    this.#codes.clear();
    this.#tokens.clear();
  }

  #check(value: string, kind: "access" | "refresh"): Checked<UserTokenRecord> {
    const record = this.#tokens.get(value);
    if (!record || record.kind !== kind) return { ok: false, reason: "unknown" };
    if (record.revoked) return { ok: false, reason: "revoked", record };
    if (record.used) return { ok: false, reason: "used", record };
    if (this.#clock.now() >= record.expiresAt) return { ok: false, reason: "expired", record };
    return { ok: true, record };
  }

  #each(openId: string | undefined, fn: (t: UserTokenRecord) => void): number {
    const now = this.#clock.now();
    let live = 0;
    for (const t of this.#tokens.values()) {
      if (openId !== undefined && t.openId !== openId) continue;
      if (!t.revoked && !t.used && now < t.expiresAt) live++;
      fn(t);
    }
    return live;
  }
}

/**
 * A JWT-shaped token (`eyJ…`, ~1 KB like Feishu's; the signature part is
 * random bytes, so nothing can be learned from decoding it).
 */
function jwtLike(kind: string, appId: string, openId: string, iat: number, exp: number): string {
  const enc = (v: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(v)));
  const header = enc({ alg: "ES256", kid: "sandbox", typ: "JWT" });
  const payload = enc({
    jti: randomHex(32),
    typ: kind,
    app_id: appId,
    sub: openId,
    iat: Math.floor(iat / 1000),
    exp: Math.floor(exp / 1000),
  });
  return `${header}.${payload}.${toBase64Url(crypto.getRandomValues(new Uint8Array(512)))}`;
}
