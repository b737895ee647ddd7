/**
 * 单独校验一次导出结果（`deno task export:verify <任务目录>`）：各窗口文件行数与飞书声明条数、
 * 表头一致、必填列、日期覆盖无缺口、总行数与重复。写出 verify.json / verify.md，失败时退出码非 0。
 *
 * @module
 */
import { reportError } from "../lib/cli/report_error.ts";
import { useUtf8Console } from "../lib/cli/utf8_console.ts";
import { formatVerifyMarkdown, verifyRunDir } from "../pipelines/export/mod.ts";

/** Verify a run directory; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === "-h" || args[0] === "--help") {
    console.error("用法：deno task export:verify <任务目录>（例如 output/export）");
    return args[0] === "-h" || args[0] === "--help" ? 0 : 2;
  }
  try {
    const report = await verifyRunDir(args[0]);
    console.log(formatVerifyMarkdown(report));
    return report.ok ? 0 : 3;
  } catch (e) {
    reportError(e);
    return 1;
  }
}

if (import.meta.main) {
  await useUtf8Console(); // Chinese in Windows console windows
  Deno.exit(await main(Deno.args));
}
