import type { MinutesApi } from "../../../lib/minutes/minutes_api.ts";
import type { TokenManager } from "../../../lib/token/token_manager.ts";
import type { MinutesSource } from "../ports.ts";

/** Options of {@linkcode LarkMinutesSource}. */
export interface LarkMinutesSourceOptions {
  /** The minutes client (its calls share the 5/s `minutes` bucket). */
  api: Pick<MinutesApi, "getMinute" | "getMediaUrl">;
  /** Where the user's token comes from. */
  tokens: Pick<TokenManager, "userAuth">;
  /** The app acting for the user. */
  appId: string;
}

/**
 * {@linkcode MinutesSource} over `lib/minutes`' `MinutesApi` with the user's
 * own token: the minute's title and a fresh pre-signed download URL (valid
 * one day). Typed errors pass through (2091003 "still transcribing" is
 * waited for by the worker, a dead login is an `AuthError`).
 *
 * @example
 * ```ts
 * import type { MeetingClients } from "./meeting_clients.ts";
 *
 * declare const clients: MeetingClients;
 * const minutes = new LarkMinutesSource({
 *   api: clients.minutes,
 *   tokens: clients.tokens,
 *   appId: clients.app.appId,
 * });
 * const url = await minutes.mediaUrl("obcnq3b9jl72l83w4f149w9c", "zhangsan");
 * ```
 */
export class LarkMinutesSource implements MinutesSource {
  #o: LarkMinutesSourceOptions;

  /** Wrap the client. */
  constructor(options: LarkMinutesSourceOptions) {
    this.#o = options;
  }

  /** See {@linkcode MinutesSource.info}. */
  async info(token: string, userId: string, signal?: AbortSignal): Promise<{ title: string }> {
    const m = await this.#o.api.getMinute(token, {
      auth: this.#o.tokens.userAuth(this.#o.appId, userId),
      signal,
      ids: { user_id: userId },
    });
    return { title: m.title };
  }

  /** See {@linkcode MinutesSource.mediaUrl}. */
  mediaUrl(token: string, userId: string, signal?: AbortSignal): Promise<string> {
    return this.#o.api.getMediaUrl(token, {
      auth: this.#o.tokens.userAuth(this.#o.appId, userId),
      signal,
      ids: { user_id: userId },
    });
  }
}
