/**
 * User authorization (OAuth v2) for acting with a user's own token: the
 * authorize URL (with `offline_access`), PKCE and `state` values, the code
 * exchange that saves the tokens through the token manager, and
 * `user_info` to learn who authorized. The whole flow (sessions with a
 * single-use state, the callback route, cards and links) is `lib/user_auth`.
 *
 * @example
 * ```ts
 * import { buildAuthorizeUrl, randomBase64Url } from "./mod.ts";
 *
 * declare const appId: string, redirectUri: string;
 * const url = buildAuthorizeUrl({ appId, redirectUri, state: randomBase64Url(32) });
 * // callback: check the state, then exchangeCode({ app, code, redirectUri, endpoints, tokens, http })
 * ```
 *
 * @module
 */
export * from "./authorize_url.ts";
export * from "./user_info.ts";
export * from "./exchange_code.ts";
export * from "./pkce.ts";
