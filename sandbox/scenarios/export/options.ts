/**
 * Options of the sandbox's export family (CLM cooperation-record export,
 * delivery as a bot message, messenger web pages, IM Open API) and their
 * defaults.
 *
 * @module
 */

/** Default number of generated cooperation records. */
export const DEFAULT_RECORD_COUNT = 80_000;
/** Default first day of the data set (UTC+8). */
export const DEFAULT_START_DATE = "2022-01-01";
/** Default delay between an export call and its bot message, ms. */
export const DEFAULT_DELIVERY_DELAY_MS = 1500;
/** Rows per delivered file at most (the CLM front end's export cap). */
export const EXPORT_ROW_CAP = 1000;
/** Default user access token the sandbox's IM endpoints accept. */
export const DEFAULT_EXPORT_USER_TOKEN = "u-sandbox-export-user";
/** Default lifetime of a messenger QR login code, ms. */
export const DEFAULT_QR_TTL_MS = 180_000;
/** Default lifetime of a messenger web session, ms (30 days). */
export const DEFAULT_MESSENGER_SESSION_TTL_MS = 30 * 86_400_000;

/** Options of the export family of sandbox endpoints. */
export interface ExportSandboxOptions {
  /** Seed override for this family's data (default: the sandbox seed). */
  seed?: number;
  /** Number of cooperation records (default 80 000). */
  recordCount?: number;
  /** First day of the data set, `YYYY-MM-DD` in UTC+8 (default `2022-01-01`). */
  startDate?: string;
  /** Last day of the data set, `YYYY-MM-DD` in UTC+8 (default: today by the sandbox clock). */
  endDate?: string;
  /**
   * Days holding more than 1 000 records (default 3 when `recordCount` ≥ 10 000,
   * else 0). Each such day holds 1 001 to 2 500 records, at most 40% of all.
   */
  spikeDays?: number;
  /** Delay between an export call and its bot message, ms (default 1 500). */
  deliveryDelayMs?: number;
  /**
   * Extra random delay per delivery in `[0, shuffleMs]` (seeded), so that
   * concurrent exports may arrive out of order (default 0: in order).
   */
  shuffleMs?: number;
  /**
   * User access tokens the IM read endpoints accept when `imUserTokenReads`
   * is on (default `["u-sandbox-export-user"]`).
   */
  userAccessTokens?: string[];
  /**
   * Whether the sandbox app's bot is a member of the user's chats, so that
   * the IM read endpoints answer its tenant_access_token (the documented
   * path). Default `false`: the user's chat with the 飞书合同 bot does not
   * hold our app's bot, so a tenant token is answered 230002 (list) /
   * 234004 (resource).
   */
  appBotInChats?: boolean;
  /**
   * UNCONFIRMED (see sandbox/UNCONFIRMED.md): let the IM read endpoints
   * (message list and resource download) accept a user access token. The
   * official docs list `tenant_access_token` only; with the default `false`
   * a user token is answered 99991668 "user access token not support".
   */
  imUserTokenReads?: boolean;
  /** How the notice appears in the IM API: `"text"` (default) or `"interactive"` (a card). */
  noticeMsgType?: "text" | "interactive";
  /** Lifetime of a QR login code, ms (default 180 000). */
  qrTtlMs?: number;
  /** Lifetime of a messenger web session, ms (default 30 days). */
  messengerSessionTtlMs?: number;
  /** Messages the messenger chat page shows at first (older ones behind "加载更多"; default 100). */
  messengerPageSize?: number;
  /** How often the messenger pages poll, ms (default 1 000). */
  messengerPollMs?: number;
}

/** {@linkcode ExportSandboxOptions} with every default filled in. */
export interface ResolvedExportOptions {
  /** Seed. */
  seed: number;
  /** Record count. */
  recordCount: number;
  /** First day (UTC+8). */
  startDate: string;
  /** Last day (UTC+8). */
  endDate: string;
  /** Days over the cap. */
  spikeDays: number;
  /** Delivery delay, ms. */
  deliveryDelayMs: number;
  /** Shuffle spread, ms. */
  shuffleMs: number;
  /** Accepted user tokens. */
  userAccessTokens: string[];
  /** The sandbox app's bot is in the user's chats (tenant tokens read them). */
  appBotInChats: boolean;
  /** UNCONFIRMED: user tokens accepted by the IM read endpoints. */
  imUserTokenReads: boolean;
  /** Notice message type in the IM API. */
  noticeMsgType: "text" | "interactive";
  /** QR code lifetime, ms. */
  qrTtlMs: number;
  /** Messenger session lifetime, ms. */
  messengerSessionTtlMs: number;
  /** Messages shown at first. */
  messengerPageSize: number;
  /** Poll interval of the pages, ms. */
  messengerPollMs: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Fill in defaults and validate. `sandboxSeed` is the sandbox seed and
 * `today` the current date in UTC+8 (`YYYY-MM-DD`). Throws `RangeError` on
 * nonsense values (Chinese message).
 */
export function resolveExportOptions(
  options: ExportSandboxOptions,
  sandboxSeed: number,
  today: string,
): ResolvedExportOptions {
  const recordCount = options.recordCount ?? DEFAULT_RECORD_COUNT;
  if (!Number.isInteger(recordCount) || recordCount < 0 || recordCount > 2_000_000) {
    throw new RangeError(`export.recordCount 必须是 0 到 2000000 之间的整数，实际为 ${recordCount}`);
  }
  const startDate = options.startDate ?? DEFAULT_START_DATE;
  const endDate = options.endDate ?? today;
  for (const [key, v] of [["startDate", startDate], ["endDate", endDate]] as const) {
    if (!ISO.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
      throw new RangeError(`export.${key} 必须是 YYYY-MM-DD 格式的日期，实际为 ${v}`);
    }
  }
  if (endDate < startDate) {
    throw new RangeError(
      `export.endDate（${endDate}）早于 startDate（${startDate}）：请检查沙箱时钟或日期设置`,
    );
  }
  const spikeDays = options.spikeDays ?? (recordCount >= 10_000 ? 3 : 0);
  if (!Number.isInteger(spikeDays) || spikeDays < 0) {
    throw new RangeError(`export.spikeDays 必须是非负整数，实际为 ${spikeDays}`);
  }
  const nonNegative = (key: string, v: number) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`export.${key} 必须是非负数，实际为 ${v}`);
    return v;
  };
  const positiveInt = (key: string, v: number) => {
    if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`export.${key} 必须是正整数，实际为 ${v}`);
    return v;
  };
  const noticeMsgType = options.noticeMsgType ?? "text";
  if (noticeMsgType !== "text" && noticeMsgType !== "interactive") {
    throw new RangeError(`export.noticeMsgType 只能是 text 或 interactive，实际为 ${noticeMsgType}`);
  }
  return {
    seed: Math.trunc(options.seed ?? sandboxSeed),
    recordCount,
    startDate,
    endDate,
    spikeDays,
    deliveryDelayMs: nonNegative("deliveryDelayMs", options.deliveryDelayMs ?? DEFAULT_DELIVERY_DELAY_MS),
    shuffleMs: nonNegative("shuffleMs", options.shuffleMs ?? 0),
    userAccessTokens: [...(options.userAccessTokens ?? [DEFAULT_EXPORT_USER_TOKEN])],
    appBotInChats: options.appBotInChats ?? false,
    imUserTokenReads: options.imUserTokenReads ?? false,
    noticeMsgType,
    qrTtlMs: positiveInt("qrTtlMs", options.qrTtlMs ?? DEFAULT_QR_TTL_MS),
    messengerSessionTtlMs: positiveInt(
      "messengerSessionTtlMs",
      options.messengerSessionTtlMs ?? DEFAULT_MESSENGER_SESSION_TTL_MS,
    ),
    messengerPageSize: positiveInt("messengerPageSize", options.messengerPageSize ?? 100),
    messengerPollMs: positiveInt("messengerPollMs", options.messengerPollMs ?? 1000),
  };
}
