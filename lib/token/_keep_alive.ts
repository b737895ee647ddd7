import type { TokenRef } from "./token_key.ts";
import type { KeepAliveResult } from "./token_manager_options.ts";
import type { TokenRecord } from "./token_store.ts";

/** What {@linkcode keepAliveUsers} needs from the manager. */
export interface KeepAliveSteps {
  /** Whether this user's refresh token should be renewed now. */
  need(r: TokenRecord): boolean;
  /** Refresh one user's tokens (after any refresh of it already in flight). */
  refresh(ref: TokenRef, key: string): Promise<void>;
  signal?: AbortSignal;
}

/**
 * Refresh, one at a time, every stored user token of `appId` that has a refresh token and
 * `need`s it; the others are skipped. A failed refresh is recorded and the next one runs.
 */
export async function keepAliveUsers(
  appId: string,
  records: readonly TokenRecord[],
  steps: KeepAliveSteps,
): Promise<KeepAliveResult> {
  const result: KeepAliveResult = { refreshed: [], failed: [], skipped: [] };
  for (const r of records) {
    steps.signal?.throwIfAborted();
    const userId = r.userId ?? "";
    if (!r.refreshToken || !steps.need(r)) {
      result.skipped.push(userId);
      continue;
    }
    try {
      await steps.refresh({ kind: "user", appId, userId }, r.key);
      result.refreshed.push(userId);
    } catch (error) {
      result.failed.push({ userId, error });
    }
  }
  return result;
}
