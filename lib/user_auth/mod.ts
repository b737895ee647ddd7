/**
 * User authorization as a core service: send a user an authorization card or
 * link, track the session (10 minutes, single-use state bound to it), finish
 * it on `/auth/callback` and store the user's tokens per app and user. A
 * service whose users start from a web page (a 「授权开启」 button) mounts
 * the browser-login page too, with its own pages and an `onAuthorized` hook.
 *
 * @example
 * ```ts
 * import { UserAuthService, UserAuthStore } from "./mod.ts";
 * import type { UserAuthServiceOptions } from "./user_auth_service.ts";
 *
 * declare const { apps, messages, httpFor, endpoints, tokens, publicBaseUrl }: UserAuthServiceOptions;
 * const auth = new UserAuthService({ store: new UserAuthStore(".state/core.db"), apps, messages, httpFor, endpoints, tokens, publicBaseUrl });
 * await auth.requestUserAuth("cli_x", "ou_x", { via: "link" });
 * ```
 *
 * @module
 */
export * from "./user_auth_session.ts";
export * from "./user_auth_store.ts";
export * from "./auth_messages.ts";
export * from "./user_auth_request.ts";
export * from "./user_auth_outcome.ts";
export * from "./user_auth_service.ts";
export * from "./user_auth_pages.ts";
export * from "./user_auth_routes.ts";
