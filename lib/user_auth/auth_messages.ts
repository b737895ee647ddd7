import { actions, button, type Card, card, cardHeader, markdown, note } from "../im/card.ts";

/** The authorization card: what is asked, a button to Feishu's authorize page, the time limit. */
export function authorizationCard(authorizeUrl: string, appName: string, ttlMinutes: number): Card {
  const c = card(cardHeader("需要你的授权", "blue"), [
    markdown(`**${appName || "本应用"}** 需要以你的身份访问飞书数据，请点击下方按钮完成授权。`),
    actions([button("去授权", authorizeUrl, "primary")]),
    note(`授权链接 ${ttlMinutes} 分钟内有效且只能使用一次；过期后请重新发起。`),
  ]);
  return c;
}

/** The text of a link-style request. */
export function authorizationText(authorizeUrl: string, appName: string, ttlMinutes: number): string {
  return `${
    appName || "本应用"
  }需要你的授权，请在 ${ttlMinutes} 分钟内打开以下链接完成授权（仅可使用一次）：\n${authorizeUrl}`;
}

/** What an expired session's user is told. */
export function expiredText(appName: string, ttlMinutes: number): string {
  return `${appName || "本应用"}的授权请求已过期（${ttlMinutes} 分钟内未完成），请重新发起授权。`;
}

/** Why a callback was refused before any exchange, in words for the user. */
export function refusalText(
  reason: "unknown" | "used" | "expired" | "other_browser",
  ttlMinutes: number,
): string {
  switch (reason) {
    case "expired":
      return `授权链接已过期（超过 ${ttlMinutes} 分钟），请重新发起授权。`;
    case "used":
      return "授权链接已使用过，请勿重复打开；如需重新授权请重新发起。";
    case "other_browser":
      return "这个授权回调不是由当前浏览器发起的：请在打开授权页的同一浏览器中完成授权，或重新发起授权。";
    default:
      return "授权链接无效（不是由本服务发起的），请重新发起授权。";
  }
}

/** Why a browser-login page refused to start another authorization, in words for the user. */
export function busyText(reason: "too_many_pending" | "rate_limited"): string {
  return reason === "too_many_pending"
    ? "当前等待完成的授权请求过多，请一分钟后刷新本页。"
    : "授权请求过于频繁，请一分钟后刷新本页。";
}
