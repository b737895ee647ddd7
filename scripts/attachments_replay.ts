/**
 * 只凭任务目录里的 NDJSON 文件重建一个附件下载任务（`deno task attachments:replay <任务目录>`）：
 * 逐行按各阶段的 schema 校验 job / files / downloads / zip.ndjson，重建任务状态与文件表
 * （不读 attachments.sqlite），并列出各阶段的记录数。`--json` 输出重建结果的 JSON。只需读权限。
 *
 * @module
 */
import { reportError } from "../lib/cli/report_error.ts";
import { reportInvalidLines } from "../lib/cli/report_invalid_lines.ts";
import type { NdjsonLineError } from "../lib/ndjson/ndjson_line_error.ts";
import {
  JOB_STAGE_FILES,
  JOB_STAGES,
  type JobStageName,
  NotAJobDirError,
  type ReplayedJob,
  replayJob,
} from "../pipelines/attachments/mod.ts";

const USAGE = "用法：deno task attachments:replay [--json] <任务目录>" +
  "（任务目录在保存目录的 jobs/ 下，例如 ~/.config/feishu-kit/attachments/jobs/<任务>）";

const STATUS_TEXT: Record<string, string> = {
  pending: "等待",
  downloading: "下载中",
  done: "完成",
  failed: "失败",
  running: "进行中",
  completed: "已完成",
  aborted: "已中止",
  interrupted: "已中断",
  resumed: "已续传",
};

/** Replay a job directory from its NDJSON files; returns the exit code (3 when a line is invalid). */
export async function main(args: string[], write: (line: string) => void = console.log): Promise<number> {
  const json = args.includes("--json");
  const rest = args.filter((a) => a !== "--json");
  if (rest.length !== 1 || rest[0] === "-h" || rest[0] === "--help") {
    console.error(USAGE);
    return rest[0] === "-h" || rest[0] === "--help" ? 0 : 2;
  }
  const dir = rest[0].replace(/[\\/]+$/, "");
  try {
    const invalid: NdjsonLineError[] = [];
    const onInvalid = (e: NdjsonLineError) => invalid.push(e);
    const counts: string[] = [];
    for (const stage of Object.keys(JOB_STAGE_FILES) as JobStageName[]) {
      const records = await JOB_STAGES.read(dir, stage, { onInvalid });
      counts.push(`  ${JOB_STAGE_FILES[stage]}：${records.length} 行`);
    }
    const job = await replayJob(dir);
    if (json) write(JSON.stringify(job, null, 2));
    else {
      write("各阶段文件：");
      for (const line of counts) write(line);
      write("");
      for (const line of describe(job)) write(line);
    }
    return reportInvalidLines(invalid) ? 3 : 0;
  } catch (e) {
    if (e instanceof NotAJobDirError) {
      console.error(`错误：${e.message}`);
      return 2;
    }
    reportError(e);
    return 1;
  }
}

/** The job and its file table, for a person. */
function describe(job: ReplayedJob): string[] {
  const by = (s: string) => job.files.filter((f) => f.status === s).length;
  const lines = [
    `任务：${job.config.name}（${
      job.config.mode === "token" ? "授权码下载" : "本地客户端下载"
    }，jobId ${job.config.jobId}）`,
    `状态：${STATUS_TEXT[job.status] ?? job.status}${job.completeRequested ? "" : "（插件未发出 complete）"}`,
    `开始：${new Date(job.startedAt).toISOString()}` +
    (job.finishedAt ? `，结束：${new Date(job.finishedAt).toISOString()}` : ""),
    `下载目录：${job.dir}`,
  ];
  if (job.zipPath) lines.push(`ZIP：${job.zipPath}`);
  if (job.error) lines.push(`任务错误：${job.error}`);
  lines.push(
    `文件：共 ${job.files.length} 个（宣布 ${job.config.total}）：完成 ${by("done")}，失败 ${
      by("failed")
    }，` +
      `下载中 ${by("downloading")}，等待 ${by("pending")}`,
    "",
    ["序号", "顺序", "状态", "字节", "文件", "错误"].join("\t"),
  );
  for (const f of job.files) {
    lines.push(
      [f.seq, f.item.order ?? "-", STATUS_TEXT[f.status], f.bytes, f.rel, f.error ?? ""].join("\t"),
    );
  }
  return lines;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
