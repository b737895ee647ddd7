/**
 * The shapes of one `LarkHttp` call: the request and the two kinds of success.
 *
 * @module
 */
import type { AuthProvider } from "../auth/auth_provider.ts";

/** One call. */
export interface LarkRequest {
  /** HTTP method (default GET). */
  method?: string;
  /** Path below the base URL, e.g. `/open-apis/contract/v1/contracts/search`. */
  path: string;
  /** Query parameters (undefined values are left out). */
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body; a `FormData` is sent as `multipart/form-data` (uploads). */
  body?: unknown;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Credentials; `null` sends none. Default: the client's. */
  auth?: AuthProvider | null;
  /** The endpoint's own rate bucket and log name, e.g. `contract_search`. */
  bucket?: string;
  /** Further rate buckets the call takes a slot in (e.g. a per-document edit budget). */
  extraBuckets?: readonly string[];
  /** Workflow step for logs. */
  step?: string;
  /** Business ids for logs (contract number, meeting id, ...). */
  ids?: Record<string, unknown>;
  /** Cancel the call, its waits and retries. */
  signal?: AbortSignal;
  /**
   * Envelope style: `"data"` (default) returns `body.data`; `"flat"` returns
   * the whole body (auth v3 and OAuth v2 endpoints put fields at top level).
   */
  envelope?: "data" | "flat";
  /** Override the retry count for this call. */
  retries?: number;
  /** Told before each retry of this call (also the one after a refused token is refreshed). */
  onRetry?: (attempt: number) => void;
}

/** A successful call. */
export interface LarkResponse<T> {
  /** `body.data` (or the whole body for flat envelopes). */
  data: T;
  /** The whole parsed body. */
  body: Record<string, unknown>;
  /** HTTP status. */
  status: number;
  /** Feishu `X-Tt-Logid`. */
  logId?: string;
  /** Our request id. */
  requestId: string;
  /** Attempts made (1 = no retry). */
  attempts: number;
  /** Time waited for rate-limit slots, ms. */
  rateLimitWaitMs: number;
  /** Wall time of the whole call, ms. */
  elapsedMs: number;
}

/** A successful binary call: the body is left unread for streaming. */
export interface LarkStreamResponse {
  /** The response with its body still a stream. */
  response: Response;
  /** Feishu `X-Tt-Logid`. */
  logId?: string;
  /** Our request id. */
  requestId: string;
  /** Attempts made. */
  attempts: number;
}
