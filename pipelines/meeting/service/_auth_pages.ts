/** The archiver's authorization pages over lib/user_auth (not exported from the package). */
import type { UserAuthPages } from "../../../lib/user_auth/user_auth_pages.ts";
import { busyText } from "../../../lib/user_auth/auth_messages.ts";
import { box, escapeHtml, linkButton, page } from "./_html.ts";

/**
 * The archiver's look and words for the user-authorization routes; `after`
 * of a success is how many waiting jobs resumed. Every error page links back
 * to `startUrl` (`{public_base_url}/auth/start`).
 */
export function meetingAuthPages(startUrl: string, ttlMinutes: number): UserAuthPages<number> {
  const again = linkButton("重新发起授权", startUrl);
  return {
    start: (authorizeUrl, scopes) =>
      page("会议录制自动归档 · 授权", startBody(authorizeUrl, scopes, ttlMinutes)),
    success: (done, resumed) =>
      page("授权成功", successBody(done.user.name, resumed ?? 0, done.hasRefreshToken)),
    failure: (outcome) => {
      if (outcome.reason === "denied") {
        return page(
          "未完成授权",
          box("error", ["你已拒绝授权，会议录制不会被归档。如需归档，请重新发起授权。"], again),
        );
      }
      const title = outcome.reason === "other_browser"
        ? "请在同一浏览器中完成授权"
        : outcome.reason === "unknown" || outcome.reason === "used" || outcome.reason === "expired"
        ? "授权链接已失效"
        : "授权失败";
      return page(title, box("error", [outcome.message], again));
    },
    busy: (reason) => page("请稍后再试", box("error", [busyText(reason)], again)),
  };
}

function startBody(authorizeUrl: string, scopes: readonly string[], ttlMinutes: number): string {
  const list = scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join("、");
  return box(
    "info",
    [
      "开启后，你作为主持人（会议所有者）的会议结束并生成云录制后，录制视频会自动下载并归档到 NAS 的个人目录与所在部门的共享目录，完成后通过飞书消息通知你。",
      "授权仅用于读取你的会议录制与妙记；可随时在飞书中撤销。授权前已结束、正在等待授权的会议录制会在授权后自动补传。",
    ],
    `${linkButton("授权开启", authorizeUrl)}<p class="muted">申请的权限：${list}</p>` +
      `<p class="muted">本页面的授权链接 ${ttlMinutes} 分钟内有效且只能使用一次；过期请刷新本页。</p>`,
  );
}

function successBody(name: string, resumed: number, hasRefresh: boolean): string {
  const lines = [`${name || "你"}，授权成功！之后结束的会议录制会自动归档，完成后会收到飞书消息。`];
  lines.push(resumed > 0 ? `有 ${resumed} 个等待授权的会议录制已开始补传。` : "目前没有等待授权的会议录制。");
  if (!hasRefresh) {
    lines.push(
      "注意：本次授权未包含 offline_access（长期授权），令牌过期后需要重新授权。请联系管理员开通该权限。",
    );
  }
  return box("ok", lines, `<p class="muted">可以关闭本页面了。</p>`);
}
