/**
 * HTML pages of the sandbox (user-facing text in Simplified Chinese).
 *
 * @module
 */

/** Escape text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * The login page a logged-out CLM web request lands on (the real one lives
 * on accounts.feishu.cn; this stand-in only explains how to get a session).
 */
export function loginPageHtml(redirectUri?: string): string {
  const back = redirectUri ? `<p>登录后将返回：<code>${escapeHtml(redirectUri)}</code></p>` : "";
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>登录 - 飞书（沙箱）</title></head>
<body>
<h1>请登录飞书</h1>
<p>当前会话未登录或已过期。这是飞书沙箱的模拟登录页，不会真正登录。</p>
<p>请在请求中携带有效的 Cookie：<code>session=&lt;会话值&gt;</code>（沙箱启动时会打印可用的会话值）。</p>
${back}
</body>
</html>
`;
}
