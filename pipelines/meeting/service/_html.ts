/** HTML helpers of the service's pages (not exported from the package). */

import { escapeHtml } from "../../../lib/encoding/escape_html.ts";

export { escapeHtml };

/** Tone of a message box. */
export type Tone = "ok" | "error" | "info";

const CSS = `
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f7;color:#1f2329}
main{max-width:960px;margin:40px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 16px}
.box{background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:16px}
.ok{border-left:4px solid #34c724}.error{border-left:4px solid #f54a45}.info{border-left:4px solid #3370ff}
.btn{display:inline-block;background:#3370ff;color:#fff;padding:10px 24px;border-radius:6px;text-decoration:none;font-size:16px;border:0;cursor:pointer}
.btn.small{padding:4px 10px;font-size:13px}
.muted{color:#8f959e;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eee;vertical-align:top;word-break:break-all}
th{color:#646a73;font-weight:600;white-space:nowrap}
.state{white-space:nowrap;font-weight:600}
.s-done{color:#34c724}.s-failed{color:#f54a45}.s-waiting_authorization{color:#ff8800}
`;

/** A whole page: `<title>`, a heading and `body` (already escaped HTML). */
export function page(title: string, body: string, options: { refreshSeconds?: number } = {}): string {
  const refresh = options.refreshSeconds
    ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">`
    : "";
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">${refresh}` +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head>` +
    `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/** A message box of paragraphs (plain text, escaped here) and optional extra HTML. */
export function box(tone: Tone, paragraphs: string[], extraHtml = ""): string {
  return `<div class="box ${tone}">${
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("")
  }${extraHtml}</div>`;
}

/** A link styled as a button. */
export function linkButton(label: string, href: string): string {
  return `<p><a class="btn" href="${escapeHtml(href)}">${escapeHtml(label)}</a></p>`;
}

/** Headers of every page: HTML, never cached (pages carry one-time states). */
export const HTML_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** An HTML response (with `extra` headers, e.g. a cookie). */
export function htmlResponse(html: string, status = 200, extra: Record<string, string> = {}): Response {
  return new Response(html, { status, headers: { ...HTML_HEADERS, ...extra } });
}
