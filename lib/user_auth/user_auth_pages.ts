import { escapeHtml } from "../encoding/escape_html.ts";
import { busyText } from "./auth_messages.ts";
import type { UserAuthFailure, UserAuthSuccess } from "./user_auth_outcome.ts";

/** Why a browser-login page did not start another authorization. */
export type BrowserLoginBusy = "too_many_pending" | "rate_limited";

/**
 * The HTML pages of the user-authorization routes (whole documents; the
 * routes choose status codes and headers). A service replaces any of them
 * with its own look and words; `T` is what its `onAuthorized` returns.
 */
export interface UserAuthPages<T = unknown> {
  /** The browser-login page: a link to Feishu's authorize page (`authorizeUrl`) asking for `scopes`. */
  start(authorizeUrl: string, scopes: readonly string[]): string;
  /** Tokens saved; `after` is what `onAuthorized` returned (undefined when it failed). */
  success(done: UserAuthSuccess, after: T | undefined): string;
  /** Not completed (`outcome.message` says why in Chinese). */
  failure(outcome: UserAuthFailure): string;
  /** Too many authorizations waiting, or started too often. */
  busy(reason: BrowserLoginBusy): string;
}

/** Plain Chinese pages (the core service's). */
export const DEFAULT_USER_AUTH_PAGES: UserAuthPages<unknown> = {
  start: (authorizeUrl) =>
    plainPage(
      "授权",
      `<p>请点击下方链接，在飞书中完成授权：</p><p><a href="${escapeHtml(authorizeUrl)}">去授权</a></p>` +
        "<p>授权链接只能使用一次，过期后请刷新本页。</p>",
    ),
  success: (done) =>
    plainPage(
      "授权成功",
      "<p>授权成功，可以关闭本页面了。</p>" +
        (done.hasRefreshToken
          ? ""
          : "<p>注意：本次授权未包含 offline_access（长期授权），令牌过期后需要重新授权。</p>"),
    ),
  failure: (outcome) => plainPage("未完成授权", `<p>${escapeHtml(outcome.message)}</p>`),
  busy: (reason) => plainPage("请稍后再试", `<p>${escapeHtml(busyText(reason))}</p>`),
};

/** Headers of every authorization page: never cached (pages carry one-time states), no referrer. */
export const USER_AUTH_PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
};

function plainPage(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>` +
    `<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>${title}</h1>${body}</body></html>`;
}
