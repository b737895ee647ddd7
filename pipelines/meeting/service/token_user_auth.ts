import type { TokenManager } from "../../../lib/token/token_manager.ts";
import type { UserAuthStatus } from "../../../lib/token/user_token_info.ts";
import type { UserAuth } from "../ports.ts";

/**
 * {@linkcode UserAuth} over the token manager's `userStatus`: whether the app
 * holds a usable login of the user (`authorized`, `expired`, `set_aside`,
 * `not_authorized`). Read from the token store, no network call.
 *
 * @example
 * ```ts
 * import type { MeetingClients } from "./meeting_clients.ts";
 *
 * declare const clients: MeetingClients;
 * const auth = new TokenUserAuth(clients.tokens, clients.app.appId);
 * if (await auth.status("zhangsan") !== "authorized") console.log("需要授权");
 * ```
 */
export class TokenUserAuth implements UserAuth {
  #tokens: Pick<TokenManager, "userStatus">;
  #appId: string;

  /** Statuses of `appId`'s users from `tokens`. */
  constructor(tokens: Pick<TokenManager, "userStatus">, appId: string) {
    this.#tokens = tokens;
    this.#appId = appId;
  }

  /** See {@linkcode UserAuth.status}. */
  status(userId: string): Promise<UserAuthStatus> {
    return this.#tokens.userStatus(this.#appId, userId);
  }
}
