/**
 * Tenant and app access tokens with Feishu's re-issue semantics
 * (open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/tenant_access_token_internal): while the current token has at least
 * 30 minutes left the same token is returned with a smaller `expire`; with
 * less left a new token is issued and the old one stays valid until its own
 * expiry, so two valid tokens coexist.
 *
 * @module
 */
import type { Clock } from "../../lib/time/mod.ts";
import { randomHex } from "../../lib/encoding/hex.ts";

/** Kind of an app-level token. */
export type AppTokenKind = "tenant" | "app";

/** One issued token. */
export interface TokenRecord {
  /** The token text (`t-…` or `a-…`). */
  value: string;
  /** Kind. */
  kind: AppTokenKind;
  /** App it was issued to. */
  appId: string;
  /** Issue time, ms since the epoch (sandbox clock). */
  issuedAt: number;
  /** Expiry time, ms since the epoch (sandbox clock). */
  expiresAt: number;
  /** Revoked by a fault knob. */
  revoked: boolean;
}

/** Result of {@linkcode TokenStore.issue}. */
export interface IssuedToken {
  /** Token text. */
  token: string;
  /** Remaining lifetime in whole seconds, as Feishu's `expire`. */
  expire: number;
  /** `true` when an existing token was handed out again. */
  reused: boolean;
}

/** Result of {@linkcode TokenStore.check}. */
export type TokenCheck =
  | { ok: true; record: TokenRecord }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "wrong_kind" };

/** Remaining lifetime below which a new token is issued (Feishu: 30 min). */
export const REISSUE_THRESHOLD_MS = 30 * 60 * 1000;

/** Issues and validates app-level tokens. */
export class TokenStore {
  readonly #clock: Clock;
  readonly #lifetimeMs: number;
  readonly #byValue = new Map<string, TokenRecord>();
  readonly #current = new Map<string, TokenRecord>();

  /** Create a store issuing tokens that live `lifetimeSec` seconds. */
  constructor(clock: Clock, lifetimeSec: number) {
    this.#clock = clock;
    this.#lifetimeMs = lifetimeSec * 1000;
  }

  /** Hand out a token of `kind` for `appId`, re-using the current one while ≥ 30 min remain. */
  issue(appId: string, kind: AppTokenKind): IssuedToken {
    const now = this.#clock.now();
    const key = `${kind}:${appId}`;
    const current = this.#current.get(key);
    if (current && !current.revoked && current.expiresAt - now >= REISSUE_THRESHOLD_MS) {
      return { token: current.value, expire: Math.floor((current.expiresAt - now) / 1000), reused: true };
    }
    const record: TokenRecord = {
      value: newTokenValue(kind),
      kind,
      appId,
      issuedAt: now,
      expiresAt: now + this.#lifetimeMs,
      revoked: false,
    };
    this.#byValue.set(record.value, record);
    this.#current.set(key, record);
    this.#prune(now);
    return { token: record.value, expire: Math.floor(this.#lifetimeMs / 1000), reused: false };
  }

  /** Validate a bearer token: issued, of the expected kind, not expired, not revoked. */
  check(value: string, kind: AppTokenKind = "tenant"): TokenCheck {
    const record = this.#byValue.get(value);
    if (!record) return { ok: false, reason: "unknown" };
    if (record.kind !== kind) return { ok: false, reason: "wrong_kind" };
    if (record.revoked) return { ok: false, reason: "revoked" };
    if (this.#clock.now() >= record.expiresAt) return { ok: false, reason: "expired" };
    return { ok: true, record };
  }

  /** Revoke every token issued so far; returns how many were still live. */
  revokeAll(): number {
    const now = this.#clock.now();
    let live = 0;
    for (const r of this.#byValue.values()) {
      if (!r.revoked && now < r.expiresAt) live++;
      r.revoked = true;
    }
    return live;
  }

  /** Tokens issued so far (including expired/revoked ones not yet pruned). */
  get records(): readonly TokenRecord[] {
    return [...this.#byValue.values()];
  }

  /** Forget every token. */
  clear(): void {
    this.#byValue.clear();
    this.#current.clear();
  }

  /** Drop records that expired more than a day ago (keeps long runs bounded). */
  #prune(now: number): void {
    for (const [value, r] of this.#byValue) {
      if (r.expiresAt < now - 86_400_000) this.#byValue.delete(value);
    }
  }
}

/** `t-` / `a-` plus 40 random hex digits (tokens are not part of the seeded data). */
function newTokenValue(kind: AppTokenKind): string {
  return `${kind === "tenant" ? "t" : "a"}-${randomHex(40)}`;
}
