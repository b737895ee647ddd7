/**
 * Options of the sandbox's meeting family (events, long connection, VC,
 * minutes, OAuth, IM, contacts) and their defaults.
 *
 * Timing rules: data timestamps and lifetimes (recording readiness, tokens,
 * codes, media links) follow the sandbox `Clock`, so a `FakeClock` drives
 * them; network behaviour (the 3 s answer window, redelivery, acks) runs on
 * real timers, like the latency faults of the core.
 *
 * @module
 */

/** Where `POST /__sandbox/meeting/end` delivers the event. */
export type MeetingDelivery = "auto" | "webhook" | "ws" | "both";

/** How the recording endpoint says "not generated yet". */
export type RecordingNotReadyStyle = "generating" | "not_found";

/** Options of the meeting family of sandbox endpoints. */
export interface MeetingSandboxOptions {
  /** Seed override for this family's data (default: the sandbox seed). */
  seed?: number;
  /** Webhook (request URL) the events are POSTed to (default: none; set later with `configure`). */
  webhookUrl?: string;
  /** Verification Token put in `header.token` (default `"sandbox-verification-token"`). */
  verificationToken?: string;
  /** Encrypt Key; when set, webhook bodies are encrypted and signed (default: none, plaintext). */
  encryptKey?: string;
  /** `auto` (default): the long connection when one is attached, else the webhook. */
  delivery?: MeetingDelivery;
  /** How long the receiver has to answer HTTP 200 / ack, ms (default 3000, Feishu: 3 s). */
  answerTimeoutMs?: number;
  /** Waits before each redelivery, ms (default Feishu's 15 s, 5 min, 1 h, 6 h). */
  redeliveryScheduleMs?: number[];
  /** Deliver every event twice (same `event_id`), to test de-duplication (default false). */
  duplicateEvents?: boolean;
  /** Split every long-connection payload into this many frames (default 1). */
  wsChunks?: number;
  /** `ClientConfig.PingInterval`, seconds (default 120). */
  pingIntervalSec?: number;
  /** `ClientConfig.ReconnectCount` (default -1 = forever). */
  reconnectCount?: number;
  /** `ClientConfig.ReconnectInterval`, seconds (default 120). */
  reconnectIntervalSec?: number;
  /** `ClientConfig.ReconnectNonce`, seconds (default 30). */
  reconnectNonceSec?: number;
  /** Time from a meeting's end until its recording exists, ms (default 3000; sandbox clock). */
  recordingReadyAfterMs?: number;
  /** "Not ready" answer: `generating` → 124002 (default), `not_found` → 121004. */
  recordingNotReady?: RecordingNotReadyStyle;
  /** Size of every recording's mp4, bytes (default 5 MiB). */
  mediaSizeBytes?: number;
  /** Lifetime of a media `download_url`, ms (default 1 day, as Feishu). */
  mediaUrlTtlMs?: number;
  /** Lifetime of user access tokens, seconds (default 7200). */
  userTokenLifetimeSec?: number;
  /** Lifetime of refresh tokens, seconds (default 604800 = 7 days). */
  refreshTokenLifetimeSec?: number;
  /** Registered redirect URIs; when set, others are refused with 20029 (default: any). */
  redirectUris?: string[];
  /** Number of generated users besides the fixed ones (default 12). */
  extraUsers?: number;
  /**
   * Refuse `departments/:id/children?fetch_child=true` with this code
   * (HTTP 400): 43010 or 40162, as Feishu does for large trees; 0 (default)
   * answers it.
   */
  contactRefuseRecursive?: 0 | 43010 | 40162;
  /**
   * Departments (any id kind) outside the app's contact range: answered
   * 40004 [403] and left out of child listings, with their sub-departments
   * (default none).
   */
  contactOutOfScope?: string[];
  /** Group chats (`oc_…`) the app's bot is a member of, besides its p2p chats (default none). */
  botChats?: string[];
}

/** {@linkcode MeetingSandboxOptions} with every default filled in. */
export interface ResolvedMeetingOptions {
  /** Seed. */
  seed: number;
  /** Webhook URL, or `undefined`. */
  webhookUrl?: string;
  /** Verification Token. */
  verificationToken: string;
  /** Encrypt Key, or `undefined`. */
  encryptKey?: string;
  /** Delivery channel. */
  delivery: MeetingDelivery;
  /** Answer window, ms. */
  answerTimeoutMs: number;
  /** Redelivery waits, ms. */
  redeliveryScheduleMs: number[];
  /** Deliver twice. */
  duplicateEvents: boolean;
  /** Frames per long-connection payload. */
  wsChunks: number;
  /** Ping interval, s. */
  pingIntervalSec: number;
  /** Reconnect count. */
  reconnectCount: number;
  /** Reconnect interval, s. */
  reconnectIntervalSec: number;
  /** Reconnect nonce, s. */
  reconnectNonceSec: number;
  /** Recording delay, ms. */
  recordingReadyAfterMs: number;
  /** "Not ready" answer style. */
  recordingNotReady: RecordingNotReadyStyle;
  /** Media size, bytes. */
  mediaSizeBytes: number;
  /** Media link lifetime, ms. */
  mediaUrlTtlMs: number;
  /** User token lifetime, s. */
  userTokenLifetimeSec: number;
  /** Refresh token lifetime, s. */
  refreshTokenLifetimeSec: number;
  /** Registered redirect URIs (`undefined` = any). */
  redirectUris?: string[];
  /** Generated users besides the fixed ones. */
  extraUsers: number;
  /** Code refusing recursive child listings (0 = none). */
  contactRefuseRecursive: 0 | 43010 | 40162;
  /** Departments outside the contact range. */
  contactOutOfScope: string[];
  /** Group chats the bot is in. */
  botChats: string[];
}

/** Default Verification Token. */
export const DEFAULT_VERIFICATION_TOKEN = "sandbox-verification-token";
/** Feishu's redelivery waits after a failed delivery (open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/request-url-configuration-case). */
export const FEISHU_REDELIVERY_SCHEDULE_MS: readonly number[] = [15_000, 300_000, 3_600_000, 21_600_000];
/** Default recording size: 5 MiB. */
export const DEFAULT_MEDIA_SIZE_BYTES = 5 * 1024 * 1024;
/** Largest recording the sandbox serves: 8 GiB. */
export const MAX_MEDIA_SIZE_BYTES = 8 * 1024 ** 3;

/** Fill in defaults and validate. Throws `RangeError` (Chinese message) on nonsense values. */
export function resolveMeetingOptions(o: MeetingSandboxOptions, sandboxSeed: number): ResolvedMeetingOptions {
  const r: ResolvedMeetingOptions = {
    seed: Math.trunc(o.seed ?? sandboxSeed),
    webhookUrl: o.webhookUrl,
    verificationToken: o.verificationToken ?? DEFAULT_VERIFICATION_TOKEN,
    encryptKey: o.encryptKey || undefined,
    delivery: o.delivery ?? "auto",
    answerTimeoutMs: o.answerTimeoutMs ?? 3000,
    redeliveryScheduleMs: [...(o.redeliveryScheduleMs ?? FEISHU_REDELIVERY_SCHEDULE_MS)],
    duplicateEvents: o.duplicateEvents ?? false,
    wsChunks: o.wsChunks ?? 1,
    pingIntervalSec: o.pingIntervalSec ?? 120,
    reconnectCount: o.reconnectCount ?? -1,
    reconnectIntervalSec: o.reconnectIntervalSec ?? 120,
    reconnectNonceSec: o.reconnectNonceSec ?? 30,
    recordingReadyAfterMs: o.recordingReadyAfterMs ?? 3000,
    recordingNotReady: o.recordingNotReady ?? "generating",
    mediaSizeBytes: o.mediaSizeBytes ?? DEFAULT_MEDIA_SIZE_BYTES,
    mediaUrlTtlMs: o.mediaUrlTtlMs ?? 86_400_000,
    userTokenLifetimeSec: o.userTokenLifetimeSec ?? 7200,
    refreshTokenLifetimeSec: o.refreshTokenLifetimeSec ?? 604_800,
    redirectUris: o.redirectUris ? [...o.redirectUris] : undefined,
    extraUsers: o.extraUsers ?? 12,
    contactRefuseRecursive: o.contactRefuseRecursive ?? 0,
    contactOutOfScope: [...(o.contactOutOfScope ?? [])],
    botChats: [...(o.botChats ?? [])],
  };
  validate(r);
  return r;
}

/** Validate resolved options (also used after `configure`). */
export function validate(r: ResolvedMeetingOptions): void {
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new RangeError(message);
  };
  if (r.webhookUrl !== undefined) {
    check(URL.canParse(r.webhookUrl), `webhookUrl 不是合法的 URL：${r.webhookUrl}`);
  }
  check(
    ["auto", "webhook", "ws", "both"].includes(r.delivery),
    `delivery 只能是 auto/webhook/ws/both：${r.delivery}`,
  );
  check(r.answerTimeoutMs > 0, `answerTimeoutMs 必须大于 0，实际为 ${r.answerTimeoutMs}`);
  check(
    r.redeliveryScheduleMs.every((ms) => Number.isFinite(ms) && ms >= 0),
    "redeliveryScheduleMs 必须是非负毫秒数的数组",
  );
  check(
    Number.isInteger(r.wsChunks) && r.wsChunks >= 1 && r.wsChunks <= 64,
    `wsChunks 必须是 1 到 64 的整数`,
  );
  for (const key of ["pingIntervalSec", "reconnectIntervalSec", "reconnectNonceSec"] as const) {
    check(r[key] >= 0, `${key} 必须是非负数，实际为 ${r[key]}`);
  }
  check(Number.isInteger(r.reconnectCount), `reconnectCount 必须是整数，实际为 ${r.reconnectCount}`);
  check(
    r.recordingReadyAfterMs >= 0,
    `recordingReadyAfterMs 必须是非负数，实际为 ${r.recordingReadyAfterMs}`,
  );
  check(
    ["generating", "not_found"].includes(r.recordingNotReady),
    `recordingNotReady 只能是 generating 或 not_found：${r.recordingNotReady}`,
  );
  check(
    Number.isSafeInteger(r.mediaSizeBytes) && r.mediaSizeBytes >= 64 &&
      r.mediaSizeBytes <= MAX_MEDIA_SIZE_BYTES,
    `mediaSizeBytes 必须是 64 到 ${MAX_MEDIA_SIZE_BYTES} 之间的整数，实际为 ${r.mediaSizeBytes}`,
  );
  check(r.mediaUrlTtlMs > 0, `mediaUrlTtlMs 必须大于 0，实际为 ${r.mediaUrlTtlMs}`);
  check(r.userTokenLifetimeSec > 0, `userTokenLifetimeSec 必须大于 0，实际为 ${r.userTokenLifetimeSec}`);
  check(
    r.refreshTokenLifetimeSec > 0,
    `refreshTokenLifetimeSec 必须大于 0，实际为 ${r.refreshTokenLifetimeSec}`,
  );
  check(
    Number.isInteger(r.extraUsers) && r.extraUsers >= 0 && r.extraUsers <= 10_000,
    "extraUsers 必须是 0 到 10000 的整数",
  );
  check(
    [0, 43010, 40162].includes(r.contactRefuseRecursive),
    `contactRefuseRecursive 只能是 0、43010 或 40162：${r.contactRefuseRecursive}`,
  );
  check(Array.isArray(r.contactOutOfScope), "contactOutOfScope 必须是部门 ID 数组");
}
