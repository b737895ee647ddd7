/**
 * Fault injection: per-endpoint (or `"*"`) error/drop/throttle rates,
 * latency and hangs, deterministic `failNext` queues, token revocation and
 * session expiry. All dice come from a PRNG seeded from the sandbox seed, so
 * a run with the same requests in the same order is reproducible.
 *
 * @module
 */
import type { EndpointName } from "./endpoints.ts";
import type { HangRegistry } from "./_hangs.ts";
import { forkPrng, type Prng } from "./_prng.ts";
import type { SessionStore } from "./clm/sessions.ts";
import type { TokenStore } from "./auth/tokens.ts";

/**
 * What an injected fault does:
 * - `error`: HTTP 500 with the family's internal-error body;
 * - `rate_limit`: HTTP 429 + 99991400 with `x-ogw-ratelimit-*` headers;
 * - `drop`: the connection breaks before any body byte (head already sent; see `_respond.ts`);
 * - `hang`: no answer until the client gives up (or the sandbox is reset/closed);
 * - `auth`: the family's auth failure: 99991663 for Open Platform APIs,
 *   10014 for the token endpoints, a logged-out answer for CLM.
 */
export type FaultKind = "error" | "rate_limit" | "drop" | "hang" | "auth";

/** Every {@linkcode FaultKind}. */
export const FAULT_KINDS: readonly FaultKind[] = ["error", "rate_limit", "drop", "hang", "auth"];

/**
 * How the CLM web endpoints refuse a missing/expired session:
 * - `json_401` (default): HTTP 401 + `{code:10001, message:"未登录或登录已过期"}` (assumption);
 * - `redirect_302`: 302 to a login page (`/accounts/page/login?redirect_uri=…`);
 * - `html_200`: HTTP 200 with the HTML login page;
 * - `json_200`: HTTP 200 + `{code:5, msg:"Login Required"}` (seen on another Feishu web API).
 */
export type LoggedOutStyle = "json_401" | "redirect_302" | "html_200" | "json_200";

/** Every {@linkcode LoggedOutStyle}. */
export const LOGGED_OUT_STYLES: readonly LoggedOutStyle[] = [
  "json_401",
  "redirect_302",
  "html_200",
  "json_200",
];

/** Target of a fault rule: an endpoint name or `"*"` for every endpoint. */
export type FaultTarget = EndpointName | "*";

/** Random faults for one target. Rates are probabilities in 0..1. */
export interface FaultRule {
  /** Probability of an internal error (HTTP `errorStatus`, default 500). */
  errorRate?: number;
  /** HTTP status of injected errors (default 500). */
  errorStatus?: number;
  /** Body `code` of injected errors (default: 2200 for Open Platform, 500 for CLM). */
  errorCode?: number;
  /** Extra delay before every answer, in ms. */
  latencyMs?: number;
  /** `true`: never answer (until reset/close); a number: hold that many ms, then answer normally. */
  hang?: boolean | number;
  /** Probability of dropping the connection. */
  dropRate?: number;
  /** Probability of an injected 429. */
  rateLimitRate?: number;
}

/** What the fault layer decided for one request. */
export interface FaultDecision {
  /** Delay before doing anything else, ms. */
  delayMs: number;
  /** Fault to answer with, if any. */
  kind?: FaultKind;
  /** HTTP status for `error`. */
  errorStatus: number;
  /** Body code override for `error`. */
  errorCode?: number;
}

/** Dependencies of {@linkcode FaultController}. */
export interface FaultControllerDeps {
  /** Sandbox seed (the fault dice use their own stream of it). */
  seed: number;
  /** Token store, for {@linkcode FaultController.revokeTokens}. */
  tokens: TokenStore;
  /** Session store, for {@linkcode FaultController.expireSessions}. */
  sessions: SessionStore;
  /** Pending waits, for {@linkcode FaultController.releaseHangs}. */
  hangs: HangRegistry;
}

/** Serializable view of the fault settings (`GET /__sandbox/faults`). */
export interface FaultSnapshot {
  /** Rules by target. */
  rules: Record<string, FaultRule>;
  /** Queued `failNext` faults by target. */
  queued: Record<string, FaultKind[]>;
  /** CLM logged-out style. */
  loggedOutStyle: LoggedOutStyle;
  /** Requests currently hanging. */
  hanging: number;
}

/** The sandbox's fault knobs. */
export class FaultController {
  readonly #deps: FaultControllerDeps;
  #prng: Prng;
  #rules = new Map<string, FaultRule>();
  #queues = new Map<string, FaultKind[]>();
  #loggedOutStyle: LoggedOutStyle = "json_401";

  /** Create the controller. */
  constructor(deps: FaultControllerDeps) {
    this.#deps = deps;
    this.#prng = forkPrng(deps.seed, "faults");
  }

  /** Replace the random-fault rule of `target` (`"*"` = every endpoint; endpoint rules win per field). */
  set(target: FaultTarget, rule: FaultRule): void {
    validateRule(rule);
    this.#rules.set(target, { ...rule });
  }

  /** The effective rule for `endpoint` (the `"*"` rule overlaid with the endpoint's own). */
  get(endpoint: string): FaultRule {
    return { ...this.#rules.get("*"), ...this.#rules.get(endpoint) };
  }

  /** Answer the next `n` requests to `target` with `kind`, whatever the dice say. */
  failNext(target: FaultTarget, n = 1, kind: FaultKind = "error"): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`failNext 次数必须是非负整数，实际为 ${n}`);
    if (!FAULT_KINDS.includes(kind)) throw new RangeError(`未知的故障类型：${kind}`);
    const queue = this.#queues.get(target) ?? [];
    for (let i = 0; i < n; i++) queue.push(kind);
    this.#queues.set(target, queue);
  }

  /** Revoke every tenant/app token issued so far (they answer 99991663). Returns how many were live. */
  revokeTokens(): number {
    return this.#deps.tokens.revokeAll();
  }

  /** Expire every CLM session (the cookie is refused in the {@linkcode loggedOutStyle}). */
  expireSessions(): number {
    return this.#deps.sessions.expireAll();
  }

  /** Make the configured CLM sessions valid again. */
  restoreSessions(): void {
    this.#deps.sessions.restore();
  }

  /** How CLM endpoints refuse a missing/expired session. */
  get loggedOutStyle(): LoggedOutStyle {
    return this.#loggedOutStyle;
  }

  /** Choose how CLM endpoints refuse a missing/expired session. */
  setLoggedOutStyle(style: LoggedOutStyle): void {
    if (!LOGGED_OUT_STYLES.includes(style)) throw new RangeError(`未知的登录失效表现：${style}`);
    this.#loggedOutStyle = style;
  }

  /** Let every hanging request finish now (they are dropped). Returns how many there were. */
  releaseHangs(): number {
    return this.#deps.hangs.release();
  }

  /** Remove rules and queued faults of `target`, or of everything when omitted. */
  clear(target?: FaultTarget): void {
    if (target === undefined) {
      this.#rules.clear();
      this.#queues.clear();
      this.#loggedOutStyle = "json_401";
      return;
    }
    this.#rules.delete(target);
    this.#queues.delete(target);
  }

  /** Clear everything, release hangs and re-seed the dice. */
  reset(): void {
    this.clear();
    this.releaseHangs();
    this.#prng = forkPrng(this.#deps.seed, "faults");
  }

  /** Decide the fault for one request to `endpoint` (consumes queued faults and dice). */
  decide(endpoint: string): FaultDecision {
    const rule = this.get(endpoint);
    const decision: FaultDecision = {
      delayMs: rule.latencyMs ?? 0,
      errorStatus: rule.errorStatus ?? 500,
      errorCode: rule.errorCode,
    };
    const queued = this.#take(endpoint) ?? this.#take("*");
    if (queued) return { ...decision, kind: queued };
    if (rule.hang === true) return { ...decision, kind: "hang" };
    if (typeof rule.hang === "number") decision.delayMs += rule.hang;
    if (this.#roll(rule.dropRate)) return { ...decision, kind: "drop" };
    if (this.#roll(rule.errorRate)) return { ...decision, kind: "error" };
    if (this.#roll(rule.rateLimitRate)) return { ...decision, kind: "rate_limit" };
    return decision;
  }

  /** Serializable view of the settings. */
  snapshot(): FaultSnapshot {
    return {
      rules: Object.fromEntries(this.#rules),
      queued: Object.fromEntries([...this.#queues].filter(([, q]) => q.length > 0)),
      loggedOutStyle: this.#loggedOutStyle,
      hanging: this.#deps.hangs.pending,
    };
  }

  #take(target: string): FaultKind | undefined {
    const queue = this.#queues.get(target);
    return queue && queue.length > 0 ? queue.shift() : undefined;
  }

  #roll(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.#prng.chance(rate);
  }
}

function validateRule(rule: FaultRule): void {
  for (const key of ["errorRate", "dropRate", "rateLimitRate"] as const) {
    const v = rule[key];
    if (v !== undefined && !(typeof v === "number" && v >= 0 && v <= 1)) {
      throw new RangeError(`${key} 必须是 0 到 1 之间的数，实际为 ${v}`);
    }
  }
  if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0)) {
    throw new RangeError(`latencyMs 必须是非负数，实际为 ${rule.latencyMs}`);
  }
  if (typeof rule.hang === "number" && !(rule.hang >= 0)) {
    throw new RangeError(`hang 必须是 true/false 或非负毫秒数，实际为 ${rule.hang}`);
  }
  if (rule.errorStatus !== undefined && !(Number.isInteger(rule.errorStatus) && rule.errorStatus >= 400)) {
    throw new RangeError(`errorStatus 必须是 4xx/5xx 状态码，实际为 ${rule.errorStatus}`);
  }
}
