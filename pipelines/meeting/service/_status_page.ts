/** The Chinese status page of the service (not exported from the package). */
import type { JobState, MeetingJob } from "../job.ts";
import { box, escapeHtml, page } from "./_html.ts";
import type { MeetingHealth } from "./status_routes.ts";

/** Chinese names of the job states. */
export const STATE_LABEL: Record<JobState, string> = {
  waiting_recording: "等待录制生成",
  downloading: "下载中",
  distributing: "归档中",
  notifying: "发送通知",
  done: "已完成",
  waiting_authorization: "等待授权",
  failed: "失败",
};

const CONNECTION_LABEL: Record<string, string> = {
  idle: "未连接",
  connecting: "连接中",
  connected: "已连接",
  reconnecting: "重连中",
  failed: "连接失败",
};

/** The status page: health summary, then the most recent jobs. */
export function statusPage(
  health: MeetingHealth,
  jobs: readonly MeetingJob[],
  o: { timeZone: string; authStartUrl: string },
): string {
  const fmt = new Intl.DateTimeFormat("zh-CN", {
    timeZone: o.timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  const time = (ms: number) => (ms > 0 ? fmt.format(new Date(ms)) : "");
  const counts = Object.entries(health.jobs).map(([s, n]) => `${STATE_LABEL[s as JobState] ?? s} ${n}`)
    .join("，");
  const intake = health.mode === "long_connection"
    ? `长连接（${CONNECTION_LABEL[health.connection?.state ?? "idle"] ?? health.connection?.state}）`
    : "Webhook（POST /webhook/event）";
  const ev = health.events;
  const summary = box(
    health.ok ? "ok" : "error",
    [
      `服务状态：${health.ok ? "正常" : "异常"}；事件接收方式：${intake}`,
      ...(!health.ok && health.reason ? [`异常原因：${health.reason}`] : []),
      `任务：${counts}`,
      `事件：待处理 ${ev.pending}，处理中 ${ev.processing}，已处理 ${ev.done}，失败 ${ev.failed}`,
    ],
    `<p class="muted">用户授权入口：<a href="${escapeHtml(o.authStartUrl)}">${
      escapeHtml(o.authStartUrl)
    }</a>` +
      `；本页每 10 秒自动刷新。</p>`,
  );
  const rows = jobs.map((j) => {
    const note = j.state === "failed" || j.state === "waiting_authorization"
      ? j.reason
      : j.lastError
      ? `最近错误：${j.lastError}`
      : "";
    const retry = j.state === "failed"
      ? `<form method="post" action="jobs/${j.id}/retry"><button class="btn small">重试</button></form>`
      : "";
    const file = j.filePath || (j.bytes ? `${j.bytes} 字节（暂存）` : "");
    return `<tr><td>${j.id}</td><td>${escapeHtml(j.topic || "（无主题）")}<br>` +
      `<span class="muted">${escapeHtml(j.meetingId)}</span></td>` +
      `<td>${escapeHtml(j.userName || j.userId)}<br><span class="muted">${escapeHtml(j.userId)}</span></td>` +
      `<td class="state s-${j.state}">${escapeHtml(STATE_LABEL[j.state] ?? j.state)}</td>` +
      `<td>${escapeHtml(file)}</td><td>${escapeHtml(note)}</td>` +
      `<td>${escapeHtml(time(j.updatedAt))}</td><td>${retry}</td></tr>`;
  }).join("");
  const table = jobs.length
    ? `<div class="box"><table><thead><tr><th>编号</th><th>会议</th><th>用户</th><th>状态</th><th>文件</th>` +
      `<th>说明</th><th>更新时间</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`
    : box("info", ["还没有任务：会议结束后，事件到达即会在这里出现。"]);
  return page("会议录制归档 · 状态", summary + table, { refreshSeconds: 10 });
}
