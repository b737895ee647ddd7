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
