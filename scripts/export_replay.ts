/**
 * 只凭运行目录里的 NDJSON 文件重建导出过程（`deno task export:replay <任务目录>`）：逐行按
 * 各阶段的 schema 校验 plan / request / count / collect / windows.ndjson，重建窗口表（不读
 * ledger.sqlite），并列出各阶段的记录数。只需读权限。
 *
 * @module
 */
import { reportError } from "../lib/cli/report_error.ts";
import { reportInvalidLines } from "../lib/cli/report_invalid_lines.ts";
import type { NdjsonLineError } from "../lib/ndjson/ndjson_line_error.ts";
import {
  formatWindowTable,
  readStageLog,
  replayWindows,
  STAGE_FILES,
  type StageName,
} from "../pipelines/export/mod.ts";

const USAGE = "用法：deno task export:replay <任务目录>（例如 output/export）";

/** Replay a run directory from its NDJSON files; returns the exit code (3 when a line is invalid). */
export async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === "-h" || args[0] === "--help") {
    console.error(USAGE);
    return args[0] === "-h" || args[0] === "--help" ? 0 : 2;
  }
  const dir = args[0].replace(/\/+$/, "");
  try {
    const invalid: NdjsonLineError[] = [];
    const onInvalid = (e: NdjsonLineError) => invalid.push(e);
    console.log("各阶段文件：");
    for (const stage of Object.keys(STAGE_FILES) as StageName[]) {
      const records = await readStageLog(dir, stage, { onInvalid });
      console.log(`  ${STAGE_FILES[stage]}：${records.length} 行`);
    }
    const windows = await replayWindows(dir);
    console.log("\n由 NDJSON 重建的窗口表：");
    console.log(formatWindowTable(windows).join("\n"));
    return reportInvalidLines(invalid) ? 3 : 0;
  } catch (e) {
    reportError(e);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
