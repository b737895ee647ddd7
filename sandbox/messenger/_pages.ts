/**
 * HTML of the sandbox's messenger pages (internal): QR login, chat list and
 * chat. Plain HTML + inline JS, Chinese text, and a stable DOM for browser
 * automation:
 *
 * - login: `.login-qr[data-login-token]` (an SVG), `.login-tip`;
 * - chat list: `.chat-list`, `.chat-item[data-chat-id][data-chat-name]` > `a` > `.chat-name`;
 * - chat: `.message-list[data-loaded="true"]` once the first page is shown,
 *   `.message[data-message-id][data-create-time][data-sender]` > `.message-text`,
 *   `.download-button` (text `下载文件`), `.load-more` for older messages.
 *
 * @module
 */
import { escapeHtml } from "../_pages.ts";
import { qrSvg } from "./_qr_svg.ts";
import type { SandboxChat } from "../im/chat_message.ts";
import { BOT_NAME } from "../clm/notice_text.ts";

const STYLE =
  `body{font-family:"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f7;color:#1f2329}
header{background:#3370ff;color:#fff;padding:10px 16px;font-size:16px}
main{max-width:760px;margin:16px auto;background:#fff;border-radius:8px;padding:16px}
.login-box{text-align:center}.login-qr{display:inline-block;padding:8px;background:#fff}
.chat-list{list-style:none;padding:0;margin:0}
.chat-item a{display:block;padding:12px;border-bottom:1px solid #eee;color:inherit;text-decoration:none}
.chat-preview{color:#8f959e;font-size:12px;margin-left:8px}
.message{padding:8px 0;border-bottom:1px solid #f0f0f0}.message-meta{color:#8f959e;font-size:12px}
.message-file{margin-top:6px;padding:8px;border:1px solid #dee0e3;border-radius:6px;display:inline-block}
.download-button{margin-left:8px}.load-more{display:block;margin:0 auto 8px}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escapeHtml(title)} - 飞书（沙箱）</title><style>${STYLE}</style></head>
<body><header>飞书（沙箱）</header><main>${body}</main></body>
</html>
`;
}

/** The QR login page for login code `token`; `redirect` is where to go once logged in. */
export function loginPage(token: string, redirect: string, pollMs: number): string {
  return page(
    "扫码登录",
    `<div class="login-box">
<h1>登录飞书</h1>
<div class="login-qr" data-login-token="${escapeHtml(token)}">${qrSvg(token)}</div>
<p class="login-tip">请使用飞书 App 扫码登录</p>
<p class="login-status">等待扫码……</p>
<p class="login-token">登录码：<code>${escapeHtml(token)}</code></p>
<p><button type="button" class="sandbox-scan">模拟扫码（仅沙箱）</button></p>
</div>
<script>
const token = ${JSON.stringify(token)};
const redirect = ${JSON.stringify(redirect)};
document.querySelector(".sandbox-scan").addEventListener("click", () => {
  fetch("/__sandbox/messenger/scan", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }) });
});
async function poll() {
  try {
    const status = "/messenger/api/login/status?token=" + encodeURIComponent(token);
    const r = await fetch(status, { cache: "no-store" });
    const j = await r.json();
    const s = j && j.data && j.data.status;
    if (s === "confirmed") { document.querySelector(".login-status").textContent = "登录成功，正在跳转……";
      location.replace(redirect); return; }
    if (s === "expired") { location.reload(); return; }
  } catch (_) { /* retry below */ }
  setTimeout(poll, ${Math.max(100, Math.round(pollMs / 2))});
}
poll();
</script>`,
  );
}

/** The chat list page. */
export function chatListPage(chats: readonly { chat: SandboxChat; preview: string }[]): string {
  const items = chats.map(({ chat, preview }) =>
    `<li class="chat-item" data-chat-id="${escapeHtml(chat.chatId)}" data-chat-name="${
      escapeHtml(chat.name)
    }">` +
    `<a href="/messenger/chats/${encodeURIComponent(chat.chatId)}"><span class="chat-name">${
      escapeHtml(chat.name)
    }</span>` +
    `<span class="chat-preview">${escapeHtml(preview)}</span></a></li>`
  ).join("\n");
  return page("消息", `<h1>消息</h1>\n<ul class="chat-list">\n${items}\n</ul>`);
}

/** The chat page; messages are loaded and polled by the inline script. */
export function chatPage(chat: SandboxChat, pollMs: number, pageSize: number): string {
  const cfg = { chatId: chat.chatId, pollMs, pageSize, bot: BOT_NAME };
  return page(
    chat.name,
    `<p><a class="back" href="/messenger/chats">← 返回会话列表</a></p>
<h1 class="chat-title" data-chat-id="${escapeHtml(chat.chatId)}">${escapeHtml(chat.name)}</h1>
<button type="button" class="load-more" hidden>加载更多</button>
<div class="message-list"></div>
<script>
const cfg = ${JSON.stringify(cfg)};
const api = "/messenger/api/chats/" + encodeURIComponent(cfg.chatId) + "/messages";
const list = document.querySelector(".message-list");
const more = document.querySelector(".load-more");
let cursor = 0, oldest = null;
function toLogin() { location.href = "/messenger/login?redirect=" + encodeURIComponent(location.pathname); }
function fmt(ms) { return new Date(ms + 8 * 3600000).toISOString().slice(0, 19).replace("T", " "); }
function render(m) {
  const el = document.createElement("div");
  el.className = "message";
  el.dataset.messageId = m.id; el.dataset.createTime = String(m.createTime);
  el.dataset.sender = m.sender; el.dataset.index = String(m.index);
  const meta = document.createElement("div"); meta.className = "message-meta";
  meta.textContent = m.sender + " " + fmt(m.createTime);
  const text = document.createElement("div"); text.className = "message-text"; text.textContent = m.text;
  el.append(meta, text);
  if (m.file) {
    const box = document.createElement("div"); box.className = "message-file";
    box.dataset.fileName = m.file.name;
    const name = document.createElement("span"); name.className = "file-name"; name.textContent = m.file.name;
    const btn = document.createElement("button"); btn.type = "button"; btn.className = "download-button";
    btn.textContent = "下载文件"; btn.dataset.url = m.file.url;
    btn.addEventListener("click", () => { const a = document.createElement("a"); a.href = m.file.url;
      document.body.append(a); a.click(); a.remove(); });
    box.append(name, btn); el.append(box);
  }
  return el;
}
async function load(query) {
  let r;
  try { r = await fetch(api + "?" + query, { cache: "no-store" }); } catch (_) { return null; }
  if (r.status === 401 || r.redirected) { toLogin(); return null; }
  let j; try { j = await r.json(); } catch (_) { toLogin(); return null; }
  return j && j.code === 0 ? j.data : null;
}
function seen(id) { return list.querySelector('[data-message-id="' + id + '"]') !== null; }
async function first() {
  const d = await load("limit=" + cfg.pageSize);
  if (!d) { setTimeout(first, cfg.pollMs); return; }
  for (const m of d.messages) list.append(render(m));
  cursor = d.cursor; oldest = d.messages.length ? d.messages[0].index : null; more.hidden = !d.hasMore;
  list.dataset.loaded = "true";
  setTimeout(poll, cfg.pollMs);
}
async function poll() {
  const d = await load("after=" + cursor);
  if (d) { for (const m of d.messages) if (!seen(m.id)) list.append(render(m)); cursor = d.cursor; }
  setTimeout(poll, cfg.pollMs);
}
more.addEventListener("click", async () => {
  if (oldest === null) return;
  more.disabled = true;
  const d = await load("before=" + oldest + "&limit=" + cfg.pageSize);
  if (d) { for (const m of d.messages.slice().reverse()) if (!seen(m.id)) list.prepend(render(m));
    if (d.messages.length) oldest = d.messages[0].index; more.hidden = !d.hasMore; }
  more.disabled = false;
});
first();
</script>`,
  );
}

/** A small "not found" page. */
export function notFoundPage(what: string): string {
  return page(
    "未找到",
    `<h1>未找到</h1><p>${escapeHtml(what)}</p><p><a href="/messenger/chats">返回会话列表</a></p>`,
  );
}
