/**
 * 合同协同记录批量导出（`deno task export`）。
 *
 * Walks the date range in adaptive windows, calls the CLM export endpoint
 * with the captured browser request, collects each file the 飞书合同 bot
 * delivers (Chromium messenger or Open API), then merges, verifies and
 * reports. Run it again to continue where it stopped. `--help` lists flags.
 *
 * @module
 */
import { formatSeconds } from "../lib/cli/progress.ts";
import { reportError } from "../lib/cli/report_error.ts";
import { parseCli, pathExists } from "../lib/cli/parse_cli.ts";
import { useUtf8Console } from "../lib/cli/utf8_console.ts";
import { loadConfig } from "../lib/config/load_config.ts";
import { defaultConfigFile } from "../lib/fs/user_dirs.ts";
import { LarkError } from "../lib/errors/lark_error.ts";
import { ConsoleSink } from "../lib/log/console_sink.ts";
import { createLogger } from "../lib/log/logger.ts";
import { NdjsonFileSink } from "../lib/log/ndjson_sink.ts";
import {
  collectStageInWorker,
  createExportContext,
  EXPORT_ENV,
  type ExportConfig,
  ExportConfigSchema,
  type ExportProgress,
  formatSummary,
  formatWindowTable,
  listRunWindows,
  requestStageInWorker,
  RERUN_STAGES,
  rerunStage,
  type RerunStageName,
  resolveExportAuth,
  runExport,
} from "../pipelines/export/mod.ts";

const HELP = `合同协同记录批量导出

用法：
  deno task export [选项]              开始或继续导出（同一 output.dir 自动续跑）
  deno task export --list [选项]       列出各时间窗口的状态
  deno task export --only-stage collect [<任务目录>] [选项]
                                       只重跑收取阶段：按 request.ndjson 等阶段文件收取已导出、
                                       尚未下载的窗口（ledger.sqlite 丢失时由阶段文件重建）
  deno task export --only-stage merge [<任务目录>] [选项]
                                       只重跑合并与校验：合并 windows/ 下的窗口文件
  deno task export:verify <任务目录>   单独校验一次导出结果

选项：
  -c, --config <文件>       配置文件（默认 config/export.yaml；不存在时只用默认值与环境变量）
      --curl <文件>         浏览器「复制为 cURL」保存的导出请求（bash 或 cmd 格式；只接受飞书合同地址、
                            auth.base_url / auth.allowed_hosts 中的主机或本机沙箱）
      --start <YYYY-MM-DD>  开始日期（覆盖 range.start）
      --end <YYYY-MM-DD>    结束日期（覆盖 range.end）
  -o, --output <目录>       任务目录（覆盖 output.dir）
      --collector <方式>    browser 或 openapi（覆盖 collector.kind）
      --headed              显示浏览器窗口（扫码更方便；有桌面时默认如此）
      --headless            不显示浏览器窗口（二维码保存为图片并打印路径；无桌面时默认如此）
      --retry-failed        把失败的窗口重新导出
      --only-window <窗口>  只处理一个窗口：窗口 ID 或 YYYYMMDD-YYYYMMDD
      --list                列出窗口状态后退出
      --only-stage <阶段>   只重跑一个阶段：collect 或 merge（任务目录默认 output.dir）
  -h, --help                显示本帮助

环境变量：FEISHU_CLM_COOKIE（合同系统 Cookie）；openapi 方式另需 FEISHU_USER_ACCESS_TOKEN（用户令牌）；
  FEISHU_BROWSER 指定浏览器（默认自动查找 Edge、Chrome、Chromium，Linux x64 上找不到时用 tools/chromium 中的无头 Chromium）。
退出码：0 完成；1 需要处理凭证（已暂停，进度保留）；2 用法错误（含不接受的 cURL 主机）；3 未全部完成或校验未通过；130 被中断。`;

/** Run the export; returns the process exit code. */
export async function main(args: string[], signal?: AbortSignal): Promise<number> {
  const parsed = parseCli(
    args,
    {
      config: { type: "string", short: "c" },
      curl: { type: "string" },
      start: { type: "string" },
      end: { type: "string" },
      output: { type: "string", short: "o" },
      collector: { type: "string" },
      headed: { type: "boolean" },
      headless: { type: "boolean" },
      "retry-failed": { type: "boolean" },
      "only-window": { type: "string" },
      list: { type: "boolean" },
      "only-stage": { type: "string" },
      quiet: { type: "boolean" },
    },
    HELP,
  );
  if (!parsed.ok) return parsed.exitCode;
  const v = parsed.values;
  const stage = v["only-stage"];
  if (stage !== undefined && !(RERUN_STAGES as readonly string[]).includes(stage)) {
    console.error(`用法错误：--only-stage 只能是 ${RERUN_STAGES.join(" 或 ")}。`);
    return 2;
  }
  if (parsed.positionals.length > (stage ? 1 : 0)) {
    console.error(`用法错误：不认识的参数 ${parsed.positionals[stage ? 1 : 0]}\n\n${HELP}`);
    return 2;
  }
  if (v.collector && v.collector !== "browser" && v.collector !== "openapi") {
    console.error("用法错误：--collector 只能是 browser 或 openapi。");
    return 2;
  }
  let fileSink: NdjsonFileSink | undefined;
  try {
    const configFile = v.config ?? defaultConfigFile("export");
    const { config, warnings } = await loadConfig(ExportConfigSchema, {
      file: v.config || await pathExists(configFile) ? configFile : undefined,
      env: EXPORT_ENV,
      overrides: {
        "auth.curl": v.curl,
        "range.start": v.start,
        "range.end": v.end,
        "output.dir": parsed.positionals[0] ?? v.output,
        "collector.kind": v.collector,
        "messenger.headless": v.headed ? false : v.headless ? true : undefined,
      },
    });
    for (const w of warnings) console.error(`警告：${w}`);
    if (v.list) {
      const windows = await pathExists(`${config.output.dir}/ledger.sqlite`)
        ? listRunWindows(config.output.dir)
        : [];
      if (!windows.length) console.log(`任务目录 ${config.output.dir} 中还没有窗口。`);
      else console.log(formatWindowTable(windows).join("\n"));
      return 0;
    }
    if (stage) return await rerunOneStage(stage as RerunStageName, config);
    // Credentials first: a copied request for a foreign host is refused before anything is written.
    const auth = await resolveExportAuth(config);
    await Deno.mkdir(config.output.dir, { recursive: true });
    fileSink = new NdjsonFileSink(`${config.output.dir}/run.log.ndjson`);
    const logger = createLogger({
      level: config.log.level,
      sinks: [fileSink, new ConsoleSink({ level: "warn" })],
    });
    for (const note of auth.notes) console.error(note);
    const ctx = await createExportContext(config, auth, { logger });

    const stop = new AbortController();
    const onSigint = () => {
      console.error("\n收到 Ctrl+C：正在停止，已完成的进度都已保存，重新运行即可继续……");
      stop.abort(new DOMException("interrupted", "AbortError"));
    };
    Deno.addSignalListener("SIGINT", onSigint);
    let last = 0;
    const onProgress = (p: ExportProgress) => {
      if (v.quiet) return;
      const now = Date.now();
      if (now - last < 2000 && p.windowsDone < p.windowsTotal) return;
      last = now;
      const eta = p.etaSec !== undefined ? `，剩余约 ${formatSeconds(Math.round(p.etaSec))}` : "";
      console.error(
        `[${STAGE[p.stage]}] 窗口 ${p.windowsDone}/${p.windowsTotal}，已下载 ${p.rows} 行，` +
          `${p.ratePerMin.toFixed(1)} 个/分钟${eta}`,
      );
    };
    try {
      const result = await runExport({
        config,
        client: ctx.api,
        fingerprint: ctx.fingerprint,
        // The export/count calls and their answers are handled in a Worker that can reach the
        // contract host and the run directory only.
        requestStage: requestStageInWorker({ config, auth, runDir: config.output.dir }),
        // The browser (or the Open API) is driven from a Worker that may run only the browser found
        // here and touch only its profile, the run directory and the QR code's folder.
        collectStage: collectStageInWorker({ config, runDir: config.output.dir }),
        signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
        retryFailed: v["retry-failed"],
        onlyWindow: v["only-window"],
        logger,
        onProgress,
        onNote: (line) => console.error(line),
      });
      console.log(formatSummary(result.summary).join("\n"));
      console.log(`报告：${result.reportPath}`);
      if (result.error) reportError(result.error);
      console.log(result.message);
      return result.exitCode;
    } finally {
      Deno.removeSignalListener("SIGINT", onSigint);
    }
  } catch (e) {
    reportError(e);
    return e instanceof LarkError && e.kind === "bad_request" ? 2 : 1;
  } finally {
    fileSink?.close();
  }
}

/** `--only-stage`: one stage alone from the run directory's stage files; returns the exit code. */
async function rerunOneStage(stage: RerunStageName, config: ExportConfig): Promise<number> {
  const runDir = config.output.dir;
  if (!(await pathExists(`${runDir}/plan.ndjson`))) {
    console.error(
      `用法错误：${runDir} 不是导出任务目录（没有 plan.ndjson）：请给出配置中 output.dir 指向的目录。`,
    );
    return 2;
  }
  const fileSink = new NdjsonFileSink(`${runDir}/run.log.ndjson`);
  const stop = new AbortController();
  const onSigint = () => stop.abort(new DOMException("interrupted", "AbortError"));
  Deno.addSignalListener("SIGINT", onSigint);
  try {
    const logger = createLogger({
      level: config.log.level,
      sinks: [fileSink, new ConsoleSink({ level: "warn" })],
    });
    const r = await rerunStage({
      stage,
      config,
      runDir,
      collectStage: collectStageInWorker({ config, runDir }),
      signal: stop.signal,
      logger,
    });
    if (r.restored) console.error(`ledger.sqlite 缺少 ${r.restored} 个窗口，已按阶段文件补回。`);
    if (r.error) reportError(r.error);
    console.log(r.message);
    return r.exitCode;
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    fileSink.close();
  }
}

const STAGE: Record<ExportProgress["stage"], string> = {
  request: "导出",
  collect: "收取文件",
  merge: "合并",
  verify: "校验",
  report: "报告",
};

if (import.meta.main) {
  await useUtf8Console(); // Chinese in Windows console windows
  Deno.exit(await main(Deno.args));
}
