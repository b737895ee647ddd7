/**
 * 只凭任务目录重新打包一个附件下载任务的 ZIP（`deno task attachments:zip <任务目录>`）：
 * 读 job.ndjson 得到下载目录，读 downloads.ndjson 得到已保存的文件，在只能读任务目录与
 * 下载目录、只能写这个 ZIP 的 Worker 中写出 `<下载目录>.zip`，结果追加到 zip.ndjson。
 * 同样的文件再打包一次得到逐字节相同的 ZIP。
 *
 * @module
 */
import { reportError } from "../lib/cli/report_error.ts";
import { reportInvalidLines } from "../lib/cli/report_invalid_lines.ts";
import type { NdjsonLineError } from "../lib/ndjson/ndjson_line_error.ts";
import { JOB_STAGES, NotAJobDirError, replayJob, runZipStage } from "../pipelines/attachments/mod.ts";

const USAGE = "用法：deno task attachments:zip <任务目录>" +
  "（任务目录在保存目录的 jobs/ 下，例如 ~/.config/feishu-kit/attachments/jobs/<任务>）";

/** Rebuild the ZIP of a job directory; returns the exit code (3 when an input line is invalid). */
export async function main(args: string[], write: (line: string) => void = console.log): Promise<number> {
  if (args.length !== 1 || args[0] === "-h" || args[0] === "--help") {
    console.error(USAGE);
    return args[0] === "-h" || args[0] === "--help" ? 0 : 2;
  }
  const dir = args[0].replace(/[\\/]+$/, "");
  try {
    // The stage's inputs, every line checked first: a malformed line would leave a file out.
    const invalid: NdjsonLineError[] = [];
    const onInvalid = (e: NdjsonLineError) => invalid.push(e);
    await JOB_STAGES.read(dir, "job", { onInvalid });
    await JOB_STAGES.read(dir, "downloads", { onInvalid });
    if (reportInvalidLines(invalid)) {
      console.error("未打包：输入文件有不合格式的行。");
      return 3;
    }
    const job = await replayJob(dir);
    const r = await runZipStage(dir, { dir: job.dir });
    if (r.outcome === "error") {
      console.error(`错误：ZIP 打包失败：${r.error}`);
      return 1;
    }
    write(`已写出 ${r.path}：${r.entries} 个文件，${r.bytes} 字节，SHA-256 ${r.sha256}`);
    return 0;
  } catch (e) {
    if (e instanceof NotAJobDirError) {
      console.error(`错误：${e.message}`);
      return 2;
    }
    reportError(e);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
