/**
 * Options of {@linkcode createSandbox} and their defaults.
 *
 * @module
 */
import type { Logger } from "../lib/log/mod.ts";
import { silentLogger } from "../lib/log/mod.ts";
import { type Clock, systemClock } from "../lib/time/mod.ts";
import { DEFAULT_APP_SCOPES } from "./auth/scopes.ts";
import { DOCUMENTED_RATE_LIMITS } from "./rate_limits.ts";
import type { ExportSandboxOptions } from "./scenarios/export/options.ts";
import type { MeetingSandboxOptions } from "./scenarios/meeting/options.ts";

/** App id of the default sandbox app. */
export const DEFAULT_APP_ID = "cli_a1b2c3d4e5f60718";
/** App secret of the default sandbox app. */
export const DEFAULT_APP_SECRET = "sandbox-secret";
/** Default valid CLM `session` cookie value. */
export const DEFAULT_SESSION = "sandbox-session";
/** Default seed of the generated data set and of the fault dice. */
export const DEFAULT_SEED = 42;
/** Default number of generated contracts. */
export const DEFAULT_CONTRACT_COUNT = 200;
/** Default tenant/app token lifetime in seconds (Feishu: at most 2 h). */
export const DEFAULT_TOKEN_LIFETIME_SEC = 7200;

/** Credentials of one self-built app the sandbox knows. */
export interface SandboxAppCredential {
  /** App ID (`cli_…`). */
  appId: string;
  /** App Secret. */
  appSecret: string;
}

/**
 * A rate limit: fixed windows per second and/or per minute. Hitting either
 * cap throttles, like Feishu's multi-window tiers (e.g. 1000/min & 50/s).
 */
export interface RateLimitSpec {
  /** Requests allowed per one-second window. */
  perSecond?: number;
  /** Requests allowed per one-minute window. */
  perMinute?: number;
}

/**
 * Rate limits keyed by endpoint name (`"contract_search"`, `"tenant_token"`, …)
 * plus `"global"`: one budget per app shared by every Open Platform endpoint.
 */
export type RateLimitTable = Record<string, RateLimitSpec>;

/** Options of {@linkcode createSandbox}. */
export interface SandboxOptions {
  /** Seed of the data set and of the fault dice (default 42). */
  seed?: number;
  /** Number of generated contracts (default 200). */
  contractCount?: number;
  /** Known apps (default one app `cli_a1b2c3d4e5f60718` / `sandbox-secret`). */
  apps?: SandboxAppCredential[];
  /** Lifetime of new tenant/app tokens in seconds (default 7200). */
  tokenLifetimeSec?: number;
  /** Valid CLM `session` cookie values (default `["sandbox-session"]`). */
  sessions?: string[];
  /**
   * Rate limits per endpoint name (and `"global"` per app,
   * `"im_message_recipient"` per recipient), on top of the documented ones.
   */
  rateLimits?: RateLimitTable;
  /**
   * Enforce the documented limits (`DOCUMENTED_RATE_LIMITS`: IM, VC, contact,
   * OAuth 1000/min & 50/s per API; minutes 5/s per API; 5 QPS per message
   * recipient). Default `true`; `false` leaves only `rateLimits`.
   */
  defaultRateLimits?: boolean;
  /** Time source for token expiry, rate-limit windows and the journal (default real time). */
  clock?: Clock;
  /** Where to log one line per answered request (default: silent). */
  logger?: Logger;
  /** Most journal entries kept; older ones are dropped (default 10 000). */
  journalLimit?: number;
  /**
   * Scopes enabled on the sandbox apps (default {@linkcode DEFAULT_APP_SCOPES}).
   * Field scopes decide which user fields answers carry (see `auth/scopes.ts`).
   */
  appScopes?: string[];
  /** Options of the export family (CLM export, messenger). */
  export?: ExportSandboxOptions;
  /** Options of the meeting family (events, VC, minutes, OAuth, IM, contacts). */
  meeting?: MeetingSandboxOptions;
}

/** {@linkcode SandboxOptions} with every default filled in. */
export interface ResolvedSandboxOptions {
  /** Seed. */
  seed: number;
  /** Number of contracts. */
  contractCount: number;
  /** Known apps. */
  apps: SandboxAppCredential[];
  /** Token lifetime in seconds. */
  tokenLifetimeSec: number;
  /** Valid session cookie values. */
  sessions: string[];
  /** Rate limits. */
  rateLimits: RateLimitTable;
  /** Time source. */
  clock: Clock;
  /** Request logger. */
  logger: Logger;
  /** Journal capacity. */
  journalLimit: number;
  /** Scopes enabled on the apps. */
  appScopes: string[];
  /** Export family options (resolved by that family). */
  export: ExportSandboxOptions;
  /** Meeting family options (resolved by that family). */
  meeting: MeetingSandboxOptions;
}

/** Fill in defaults and validate. Throws `RangeError` on nonsense values. */
export function resolveOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
  const contractCount = options.contractCount ?? DEFAULT_CONTRACT_COUNT;
  if (!Number.isInteger(contractCount) || contractCount < 0 || contractCount > 1_000_000) {
    throw new RangeError(`contractCount 必须是 0 到 1000000 之间的整数，实际为 ${contractCount}`);
  }
  const tokenLifetimeSec = options.tokenLifetimeSec ?? DEFAULT_TOKEN_LIFETIME_SEC;
  if (!(tokenLifetimeSec > 0)) {
    throw new RangeError(`tokenLifetimeSec 必须大于 0，实际为 ${tokenLifetimeSec}`);
  }
  const apps = options.apps ?? [{ appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET }];
  if (apps.length === 0) throw new RangeError("apps 至少需要一个应用");
  return {
    seed: Math.trunc(options.seed ?? DEFAULT_SEED),
    contractCount,
    apps: apps.map((a) => ({ ...a })),
    tokenLifetimeSec,
    sessions: [...(options.sessions ?? [DEFAULT_SESSION])],
    rateLimits: {
      ...(options.defaultRateLimits === false ? {} : DOCUMENTED_RATE_LIMITS),
      ...(options.rateLimits ?? {}),
    },
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    journalLimit: options.journalLimit ?? 10_000,
    appScopes: [...(options.appScopes ?? DEFAULT_APP_SCOPES)],
    export: { ...options.export },
    meeting: { ...options.meeting },
  };
}
