/**
 * HTML of the sandbox's OAuth authorize step (Simplified Chinese): the
 * consent page with a user picker and "授权" / "拒绝" buttons, and the error
 * page.
 *
 * @module
 */
import { escapeHtml } from "../_pages.ts";
import type { SandboxUser } from "../contact/directory.ts";

/** What the consent page shows and posts back. */
export interface ConsentPageInput {
  /** App id. */
  appId: string;
  /** Requested scopes. */
  scopes: string[];
  /** Users to pick from. */
  users: readonly SandboxUser[];
  /** Hidden fields posted back with the decision. */
  hidden: Record<string, string | undefined>;
  /** Form action (the authorize path). */
  action: string;
}

const STYLE =
  `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:36rem;margin:3rem auto;
padding:0 1rem;color:#1f2329}h1{font-size:1.4rem}code{background:#f2f3f5;padding:0 .3em;border-radius:3px}
ul{padding-left:1.2rem}button{font-size:1rem;padding:.5rem 1.6rem;margin-right:.8rem;border-radius:6px;
border:1px solid #3370ff;cursor:pointer}.ok{background:#3370ff;color:#fff}.no{background:#fff;color:#3370ff}
select{font-size:1rem;padding:.3rem}.note{color:#646a73;font-size:.9rem}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - 飞书（沙箱）</title><style>${STYLE}</style></head>
<body>
${body}
</body>
</html>
`;
}

/** The consent page. */
export function consentPageHtml(input: ConsentPageInput): string {
  const scopes = input.scopes.length === 0
    ? "<li>（未申请额外权限）</li>"
    : input.scopes.map((s) =>
      `<li><code>${escapeHtml(s)}</code>${s === "offline_access" ? "（保持登录，可刷新令牌）" : ""}</li>`
    )
      .join("\n");
  const options = input.users.map((u, i) =>
    `<option value="${escapeHtml(u.openId)}"${i === 0 ? " selected" : ""}>${escapeHtml(u.name)}（${
      escapeHtml(u.email)
    }）</option>`
  ).join("\n");
  const hidden = Object.entries(input.hidden)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v!)}">`)
    .join("\n");
  return page(
    "授权",
    `<h1>应用请求访问你的飞书账号</h1>
<p>应用 <code>${escapeHtml(input.appId)}</code> 申请以下权限：</p>
<ul>
${scopes}
</ul>
<form method="post" action="${escapeHtml(input.action)}">
${hidden}
<p><label>以此身份登录：<select name="user_id">
${options}
</select></label></p>
<p><button class="ok" type="submit" name="decision" value="approve">授权</button>
<button class="no" type="submit" name="decision" value="deny">拒绝</button></p>
</form>
<p class="note">这是飞书沙箱的模拟授权页，不会访问真实的飞书账号。</p>`,
  );
}

/** The error page of a refused authorize request. */
export function authorizeErrorHtml(code: number, message: string): string {
  return page(
    "授权失败",
    `<h1>无法完成授权</h1>
<p>${escapeHtml(message)}</p>
<p class="note">错误码：${code}</p>`,
  );
}
