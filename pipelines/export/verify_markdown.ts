/**
 * The Markdown section of a verification (`verify.md`, and part of `report.md`).
 *
 * @module
 */
import type { VerifyReport } from "./verify.ts";

/** The Markdown section of a verification. */
export function formatVerifyMarkdown(r: VerifyReport): string {
  const icon = { pass: "✅ 通过", warn: "⚠️ 警告", fail: "❌ 未通过" };
  const t = r.totals;
  const lines = [
    `## 校验结果：${icon[r.status]}`,
    "",
    `- 范围：${r.range.start} 至 ${r.range.end}，窗口 ${t.windows} 个`,
    `- 飞书声明 ${t.declared} 条；文件应有 ${t.expectedRows} 行，实有 ${t.rowsInFiles} 行`,
    `- 合并后 ${t.mergedRows ?? "（未合并）"} 行，去除重复 ${t.duplicates ?? "—"} 行`,
    ...(t.missingOvercap ? [`- 因单日超过上限未能导出 ${t.missingOvercap} 条`] : []),
    "",
    "| 检查项 | 结果 | 说明 |",
    "|---|---|---|",
    ...r.checks.map((c) =>
      `| ${c.title} | ${icon[c.status]} | ${c.details.length ? c.details.length + " 项" : ""} |`
    ),
    "",
  ];
  for (const c of r.checks.filter((x) => x.details.length)) {
    lines.push(`### ${c.title}`, "", ...c.details.map((d) => `- ${d.replace(/\|/g, "\\|")}`), "");
  }
  return lines.join("\n");
}
