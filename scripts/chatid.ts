/**
 * 合同编号 → openChatId 批量查询。
 *
 * Usage: `deno task chatid contracts.txt [--config config/chatid.yaml]`
 * (or `deno run -A scripts/chatid.ts contracts.txt`). Run with `--help` for
 * every flag.
 *
 * @module
 */
import { createProgress } from "../lib/cli/progress.ts";
import { configSummary } from "../lib/cli/config_summary.ts";
import { reportError } from "../lib/cli/report_error.ts";
import { parseCli, pathExists } from "../lib/cli/parse_cli.ts";
import { useUtf8Console } from "../lib/cli/utf8_console.ts";
import { loadConfig } from "../lib/config/load_config.ts";
import { defaultConfigFile } from "../lib/fs/user_dirs.ts";
import { LarkError } from "../lib/errors/lark_error.ts";
import { ConsoleSink } from "../lib/log/console_sink.ts";
import { createLogger } from "../lib/log/logger.ts";
import { NdjsonFileSink } from "../lib/log/ndjson_sink.ts";
import { keyCreatedNotice, loadSecretBox } from "../lib/crypto/key_source.ts";
import { closeTokenStore, openTokenStore } from "../lib/token/open_token_store.ts";
import type { TokenStore } from "../lib/token/token_store.ts";
import {
  autoConcurrency,
  CHATID_ENV,
  ChatIdConfigSchema,
  chatIdKeyFile,
  type ChatIdRow,
  chatIdTokenStore,
  checkContractNumbers,
  type ContractNumberShape,
  createChatIdContext,
  formatImplausible,
  formatSummary,
  outputFromJournal,
  readChatIdExcel,
  readContractFile,
  runChatId,
  workerResolver,
} from "../pipelines/chatid/mod.ts";

const HELP = `合同编号 → openChatId 批量查询

用法：
  deno task chatid <合同编号文件> [选项]
  deno task chatid --retry-failed <上次输出.xlsx> [选项]
  deno task chatid --from-journal <日志.journal.ndjson> [合同编号文件] [选项]

输入文件：TXT 每行一个合同编号（UTF-8，可带 BOM，也接受 UTF-16；CRLF、空行与 # 注释、重复自动处理），
          或带 contract_number 列的 .xlsx / .csv。不像合同编号的行（见配置 input.*）列出后跳过，
          一个有效编号都没有时不发送请求、不改动已有输出，退出码 2。

选项：
  -c, --config <文件>        配置文件（默认 config/chatid.yaml）
  -o, --output <文件>        输出 Excel（默认取配置 output.path）
      --retry-failed <文件>  只重跑上次输出中非 SUCCESS 的行，并写出合并结果
      --from-journal <文件>  只重跑输出阶段：由上次运行的日志（输出文件旁的 *.journal.ndjson）
                             写出 Excel，不联网、不需要密钥；给出合同编号文件时按其顺序输出
      --concurrency <n|auto> 并发合同数（覆盖 rate_limit.concurrency）
      --extra-columns        输出 retry_count、duration_ms、started_at、finished_at 列
      --force                已有输出比本次结果更完整时也直接替换（默认先备份为 .bak）
      --quiet                不显示进度条
  -h, --help                 显示本帮助

密钥通过环境变量提供：FEISHU_APP_ID、FEISHU_APP_SECRET、FEISHU_CLM_COOKIE。
令牌缓存加密保存：密钥取自环境变量 FEISHU_KIT_KEY，否则为令牌库旁的 secret.key（首次运行自动生成）。
退出码：0 全部处理完成（含业务失败状态）；1 配置/鉴权等致命错误；2 用法错误。`;

/** Run the tool; returns the process exit code. */
export async function main(args: string[], signal?: AbortSignal): Promise<number> {
  const parsed = parseCli(args, {
    config: { type: "string", short: "c" },
    output: { type: "string", short: "o" },
    "retry-failed": { type: "string" },
    "from-journal": { type: "string" },
    concurrency: { type: "string" },
    "extra-columns": { type: "boolean" },
    quiet: { type: "boolean" },
    force: { type: "boolean" },
  }, HELP);
  if (!parsed.ok) return parsed.exitCode;
  const { values: v, positionals } = parsed;
  if (v["from-journal"] !== undefined) return await fromJournal(v["from-journal"], positionals[0], v);
  const retryFailed = v["retry-failed"];
  if (!retryFailed && positionals.length !== 1) {
    console.error(`用法错误：请指定一个合同编号文件。\n\n${HELP}`);
    return 2;
  }
  let concurrency: number | "auto" | undefined;
  if (v.concurrency !== undefined) {
    concurrency = v.concurrency === "auto" ? "auto" : Number(v.concurrency);
    if (concurrency !== "auto" && (!Number.isInteger(concurrency) || concurrency < 1)) {
      console.error("用法错误：--concurrency 应为正整数或 auto。");
      return 2;
    }
  }
  for (const f of [positionals[0], retryFailed]) {
    if (f && !(await pathExists(f))) {
      console.error(`用法错误：找不到文件 ${f}。`);
      return 2;
    }
    const info = f ? await Deno.stat(f) : undefined;
    if (info && !info.isFile) {
      console.error(
        `用法错误：${f} 不是文件（是${info.isDirectory ? "目录" : "特殊文件"}）：请指定一个文件。`,
      );
      return 2;
    }
  }
  let store: TokenStore | undefined;
  let fileSink: NdjsonFileSink | undefined;
  try {
    const configFile = v.config ?? defaultConfigFile("chatid");
    const { config, warnings } = await loadConfig(ChatIdConfigSchema, {
      file: await pathExists(configFile) || v.config ? configFile : undefined,
      env: CHATID_ENV,
      overrides: {
        "output.path": v.output,
        "rate_limit.concurrency": concurrency,
        "output.extra_columns": v["extra-columns"] ? true : undefined,
      },
    });
    for (const w of warnings) console.error(`警告：${w}`);
    const outInfo = await Deno.stat(config.output.path).catch(() => undefined);
    if (outInfo && !outInfo.isFile) {
      console.error(
        `用法错误：输出路径 ${config.output.path} 不是文件（是目录）：请用 -o 指定一个 .xlsx 文件路径。`,
      );
      return 2;
    }

    const shape = {
      pattern: config.input.number_pattern,
      maxLength: config.input.max_length,
      requireDigit: config.input.require_digit,
    };
    const input = retryFailed ? undefined : await readContractFile(positionals[0], { shape });
    const previous = retryFailed ? await readChatIdExcel(retryFailed) : undefined;
    const numbers = input?.numbers ?? retryNumbers(previous!, shape);
    for (const line of formatImplausible(input?.implausible ?? [])) console.error(line);
    if (!numbers.length) {
      if (input) {
        console.error(
          `用法错误：输入文件 ${
            positionals[0]
          } 中没有有效的合同编号（跳过空行 ${input.blank}、注释 ${input.comments}、` +
            `不像合同编号的值 ${input.implausible?.length ?? 0}）。未发送任何请求，已有输出未改动。`,
        );
        return 2;
      }
      console.log(
        `${retryFailed} 中没有需要重跑的行（失败行均已 SUCCESS 或不像合同编号）；未发送任何请求，已有输出未改动。`,
      );
      return 0;
    }

    await Deno.mkdir(config.log.dir, { recursive: true });
    const logPath = `${config.log.dir}/chatid-${new Date().toISOString().replace(/[:.]/g, "-")}.ndjson`;
    fileSink = new NdjsonFileSink(logPath);
    const logger = createLogger({
      level: config.log.level,
      sinks: [fileSink, new ConsoleSink({ level: "warn" })],
    });
    const box = await loadSecretBox({
      keyFile: chatIdKeyFile(config),
      onCreated: (path) => console.error(keyCreatedNotice(path)),
    });
    store = openTokenStore(chatIdTokenStore(config), { box, logger });
    const ctx = createChatIdContext(config, { store, logger });

    console.error("配置：");
    for (const line of configSummary(config)) console.error(line);
    if (input) {
      console.error(
        `输入：${numbers.length} 个合同编号（跳过空行 ${input.blank}、注释 ${input.comments}、` +
          `不像合同编号的值 ${input.implausible?.length ?? 0}，去除重复 ${input.duplicates}）`,
      );
    } else console.error(`重跑失败行：${numbers.length} 个（来自 ${retryFailed}）`);

    // Fail fast: one cheap call each for the token and the cookie.
    await ctx.tokens.getTenantToken(config.app.app_id, signal);
    await ctx.clm.checkSession(signal);
    console.error("凭证检查通过：tenant_access_token 与合同系统 cookie 均有效。");

    const conc = config.rate_limit.concurrency === "auto"
      ? autoConcurrency(config.rate_limit.global_qpm)
      : config.rate_limit.concurrency;
    const progress = v.quiet ? undefined : createProgress({ total: numbers.length, label: "合同" });
    const stop = new AbortController();
    const onSigint = () => {
      console.error("\n收到 Ctrl+C：停止新的请求，正在写出已完成的结果……");
      stop.abort(new DOMException("interrupted", "AbortError"));
    };
    Deno.addSignalListener("SIGINT", onSigint);
    let result;
    try {
      result = await runChatId({
        numbers,
        previous,
        outputPath: config.output.path,
        extraColumns: config.output.extra_columns,
        concurrency: conc,
        deps: ctx,
        signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
        onProgress: (d, t) => progress?.update(d, t),
        force: v.force,
        // The calls and their answers are handled in a Worker that can reach the Feishu hosts and
        // the token store only; this thread keeps the files (journal, Excel, log).
        resolver: workerResolver(config, { logger }),
        logger,
      });
    } finally {
      progress?.stop();
      Deno.removeSignalListener("SIGINT", onSigint);
    }
    if (result.previousOutput?.note) console.error(result.previousOutput.note);
    if (result.resumed) console.error(`续跑：${result.resumed} 个合同已在上次运行中完成，已跳过。`);
    console.log(formatSummary(result.summary).join("\n"));
    console.log(`输出文件：${result.outputPath}`);
    console.log(`日志文件：${logPath}`);
    if (result.fatal) {
      reportError(result.fatal.error);
      console.error("已完成的结果已保存；更新凭证后用相同参数重新运行即可从中断处继续。");
      return 1;
    }
    if (result.aborted) {
      console.error("已中断；用相同参数重新运行即可从中断处继续。");
      return 130;
    }
    return 0;
  } catch (e) {
    reportError(e);
    return e instanceof LarkError && e.kind === "bad_request" ? 2 : 1;
  } finally {
    if (store) await closeTokenStore(store);
    fileSink?.close();
  }
}

/** `--retry-failed`: the non-SUCCESS rows' numbers that still look like contract numbers. */
function retryNumbers(previous: readonly ChatIdRow[], shape: ContractNumberShape): string[] {
  const failed = previous.filter((r) => r.status !== "SUCCESS").map((r) => r.contract_number);
  const { valid, implausible } = checkContractNumbers(failed, failed.map((_, i) => i + 2), shape);
  for (const line of formatImplausible(implausible)) console.error(line);
  return valid;
}

/** `--from-journal`: the output stage alone, from the journal. */
async function fromJournal(
  journalPath: string,
  inputFile: string | undefined,
  v: { output?: string; "extra-columns"?: boolean },
): Promise<number> {
  try {
    const numbers = inputFile ? (await readContractFile(inputFile)).numbers : undefined;
    const r = await outputFromJournal({
      journalPath,
      outputPath: v.output,
      numbers,
      extraColumns: v["extra-columns"],
    });
    console.log(`由日志 ${journalPath} 写出 ${r.rows.length} 行：${r.outputPath}`);
    if (r.missing.length) console.error(`日志中没有 ${r.missing.length} 个合同的结果（未处理完），未写入。`);
    return 0;
  } catch (e) {
    reportError(e);
    return e instanceof LarkError && e.kind === "bad_request" ? 2 : 1;
  }
}

if (import.meta.main) {
  await useUtf8Console(); // Chinese in Windows console windows
  Deno.exit(await main(Deno.args));
}
