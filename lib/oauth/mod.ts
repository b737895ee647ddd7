/**
 * User authorization (OAuth v2) for acting with a user's own token: the
 * authorize URL (with `offline_access`), single-use `state` values in SQLite,
 * the code exchange that saves the tokens through the token manager, and
 * `user_info` to learn who authorized.
 *
 * @example
 * ```ts
 * import { buildAuthorizeUrl, exchangeCode, OAuthStateStore } from "./mod.ts";
 *
 * declare const appId: string, redirectUri: string;
 * const states = new OAuthStateStore(".state/oauth.db");
 * const url = buildAuthorizeUrl({ appId, redirectUri, state: states.create() });
 * // callback: if (states.consume(state)) await exchangeCode({ app, code, redirectUri, endpoints, tokens, http });
 * ```
 *
 * @module
 */
export * from "./authorize_url.ts";
export * from "./state_store.ts";
export * from "./user_info.ts";
export * from "./exchange_code.ts";
export * from "./pkce.ts";
