/**
 * Feishu error codes as the official documentation describes them, written
 * out here independently of lib/errors/error_codes.ts (the table under test):
 * what each code means, which family it belongs to and whether retrying the
 * same request can help.
 *
 * Sources (official pages):
 * - GENERIC: server error codes, https://open.feishu.cn/document/server-docs/getting-started/server-error-codes
 *   (also https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code)
 * - RATE: frequency control, https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control
 * - OAUTH: user_access_token v2 (get / refresh),
 *   https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token and
 *   https://open.feishu.cn/document/authentication-management/access-token/refresh-user-access-token
 * - IM: send message, https://open.feishu.cn/document/server-docs/im-v1/message/create
 * - BITABLE: https://open.feishu.cn/document/server-docs/docs/bitable-v1/bitable-overview
 * - DRIVE: upload media, https://open.feishu.cn/document/server-docs/docs/drive-v1/media/upload_all
 * - VC: get recording, https://open.feishu.cn/document/server-docs/vc-v1/meeting-recording/get
 * - CONTACT: https://open.feishu.cn/document/server-docs/contact-v3/department/children
 * - CONTRACT: contract search (business code 110107: contract number not found)
 *
 * @module
 */
import type { TokenKind } from "../../lib/errors/mod.ts";

/** Error family as the docs' "排查建议" column implies it. */
export type DocumentedKind =
  | "auth"
  | "permission"
  | "rate_limit"
  | "server"
  | "config"
  | "bad_request"
  | "not_found";

/** One documented code. */
export interface DocumentedCode {
  /** The family the docs' advice implies. */
  kind: DocumentedKind;
  /** Sending the same request again (after a wait) can succeed without a person fixing something. */
  retryable: boolean;
  /** For token errors: which token was refused. */
  tokenKind?: TokenKind;
  /** For token errors: getting a new access token can help (default false). */
  tokenInvalid?: boolean;
  /** What the docs say, in short. */
  meaning: string;
  /** Source key (see the module doc). */
  source: string;
}

/** The documented codes, code → meaning. */
export const DOCUMENTED_CODES: Readonly<Record<number, DocumentedCode>> = {
  // Tokens: not retried as they are; an invalid or expired access token is re-fetched (tokenInvalid),
  // a dead refresh token means the user must authorize again.
  99991663: {
    kind: "auth",
    retryable: false,
    tokenInvalid: true,
    tokenKind: "tenant",
    meaning: "tenant token invalid",
    source: "GENERIC",
  },
  99991664: {
    kind: "auth",
    retryable: false,
    tokenInvalid: true,
    tokenKind: "app",
    meaning: "app token invalid",
    source: "GENERIC",
  },
  99991668: {
    kind: "auth",
    retryable: false,
    tokenInvalid: true,
    tokenKind: "user",
    meaning: "user token invalid",
    source: "GENERIC",
  },
  99991677: {
    kind: "auth",
    retryable: false,
    tokenInvalid: true,
    tokenKind: "user",
    meaning: "user token expired",
    source: "GENERIC",
  },
  99991669: {
    kind: "auth",
    retryable: false,
    tokenKind: "refresh",
    meaning: "refresh token invalid",
    source: "GENERIC",
  },
  20026: {
    kind: "auth",
    retryable: false,
    tokenKind: "refresh",
    meaning: "refresh token invalid",
    source: "OAUTH",
  },
  20037: {
    kind: "auth",
    retryable: false,
    tokenKind: "refresh",
    meaning: "refresh token expired",
    source: "OAUTH",
  },
  20064: {
    kind: "auth",
    retryable: false,
    tokenKind: "refresh",
    meaning: "refresh token revoked",
    source: "OAUTH",
  },
  20073: {
    kind: "auth",
    retryable: false,
    tokenKind: "refresh",
    meaning: "refresh token already used",
    source: "OAUTH",
  },
  // A request defect: never retried.
  99991661: {
    kind: "bad_request",
    retryable: false,
    meaning: "Authorization header missing",
    source: "GENERIC",
  },
  99991671: { kind: "bad_request", retryable: false, meaning: "token format wrong", source: "GENERIC" },
  20003: { kind: "bad_request", retryable: false, meaning: "authorization code not found", source: "OAUTH" },
  20004: { kind: "bad_request", retryable: false, meaning: "authorization code expired", source: "OAUTH" },
  20065: {
    kind: "bad_request",
    retryable: false,
    meaning: "authorization code already used",
    source: "OAUTH",
  },
  // Scopes, consent, app state, IP allow-list, quota: a person must act.
  99991672: { kind: "permission", retryable: false, meaning: "app lacks the API scope", source: "GENERIC" },
  99991676: { kind: "permission", retryable: false, meaning: "token lacks the scope", source: "GENERIC" },
  99991679: {
    kind: "permission",
    retryable: false,
    meaning: "user has not granted the scope",
    source: "GENERIC",
  },
  99991662: { kind: "permission", retryable: false, meaning: "app disabled", source: "GENERIC" },
  99991673: { kind: "permission", retryable: false, meaning: "app not installed", source: "GENERIC" },
  99991401: { kind: "permission", retryable: false, meaning: "IP not in the allow-list", source: "GENERIC" },
  99991403: {
    kind: "permission",
    retryable: false,
    meaning: "monthly call quota used up",
    source: "GENERIC",
  },
  121005: { kind: "permission", retryable: false, meaning: "no permission on the recording", source: "VC" },
  40004: {
    kind: "permission",
    retryable: false,
    meaning: "outside the contact data range",
    source: "CONTACT",
  },
  // Credentials and app settings.
  99991543: { kind: "config", retryable: false, meaning: "app_id / app_secret wrong", source: "GENERIC" },
  20002: { kind: "config", retryable: false, meaning: "client secret wrong", source: "OAUTH" },
  20071: { kind: "config", retryable: false, meaning: "redirect_uri mismatch", source: "OAUTH" },
  20074: { kind: "config", retryable: false, meaning: "refresh not enabled for the app", source: "OAUTH" },
  // Throttling: back off and retry.
  99991400: {
    kind: "rate_limit",
    retryable: true,
    meaning: "request trigger frequency limit",
    source: "RATE",
  },
  230020: { kind: "rate_limit", retryable: true, meaning: "IM frequency limit", source: "IM" },
  11232: { kind: "rate_limit", retryable: true, meaning: "IM send service limit", source: "RATE" },
  11233: { kind: "rate_limit", retryable: true, meaning: "IM chat send limit", source: "RATE" },
  11247: { kind: "rate_limit", retryable: true, meaning: "IM internal send limit", source: "RATE" },
  1254290: { kind: "rate_limit", retryable: true, meaning: "bitable TooManyRequest", source: "BITABLE" },
  1254291: { kind: "rate_limit", retryable: true, meaning: "bitable write conflict", source: "BITABLE" },
  1061045: { kind: "rate_limit", retryable: true, meaning: "drive resource contention", source: "DRIVE" },
  // Server side: retry.
  1500: { kind: "server", retryable: true, meaning: "internal error", source: "GENERIC" },
  20050: { kind: "server", retryable: true, meaning: "OAuth server error [500]", source: "OAUTH" },
  20072: { kind: "server", retryable: true, meaning: "OAuth temporarily unavailable [503]", source: "OAUTH" },
  // Missing things.
  121004: { kind: "not_found", retryable: false, meaning: "recording not found", source: "VC" },
  110107: { kind: "not_found", retryable: false, meaning: "contract number not found", source: "CONTRACT" },
};
