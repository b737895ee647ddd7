/**
 * The steps of `scripts/chatid.ts`: each prints what the user must see and returns its value,
 * or the exit code when the run stops there (usage errors are 2).
 *
 * @module
 */
import { configSummary } from "../lib/cli/config_summary.ts";
import { pathExists } from "../lib/cli/parse_cli.ts";
import { createProgress } from "../lib/cli/progress.ts";
import { reportError } from "../lib/cli/report_error.ts";
import { loadConfig } from "../lib/config/load_config.ts";
import { keyCreatedNotice, loadSecretBox } from "../lib/crypto/key_source.ts";
import { defaultConfigFile } from "../lib/fs/user_dirs.ts";
import { ConsoleSink } from "../lib/log/console_sink.ts";
import { createLogger, type Logger } from "../lib/log/logger.ts";
import { NdjsonFileSink } from "../lib/log/ndjson_sink.ts";
import { openTokenStore } from "../lib/token/open_token_store.ts";
import type { TokenStore } from "../lib/token/token_store.ts";
import {
  autoConcurrency,
  CHATID_ENV,
  type ChatIdConfig,
  ChatIdConfigSchema,
  type ChatIdContext,
  chatIdKeyFile,
  type ChatIdRow,
  type ChatIdRunResult,
  chatIdTokenStore,
  checkContractNumbers,
  type ContractInput,
  type ContractNumberShape,
  createChatIdContext,
  formatImplausible,
  formatSummary,
  readChatIdExcel,
  readContractFile,
  runChatId,
  workerResolver,
} from "../pipelines/chatid/mod.ts";

/** The flags `main` reads. */
export interface ChatIdFlags {
  config?: string;
  output?: string;
  "retry-failed"?: string;
  concurrency?: string;
  "extra-columns"?: boolean;
  quiet?: boolean;
  force?: boolean;
}

/** The contract numbers of this run: from the input file, or the failed rows of `--retry-failed`. */
export interface ChatIdWork {
  numbers: string[];
  input?: ContractInput;
  previous?: ChatIdRow[];
  retryFailed?: string;
}

/** Check the arguments before anything is read: one input file (unless retrying), `--concurrency`, files exist. */
export async function checkUsage(
  v: ChatIdFlags,
  positionals: readonly string[],
  help: string,
): Promise<number | { concurrency?: number | "auto" }> {
  const retryFailed = v["retry-failed"];
  if (!retryFailed && positionals.length !== 1) {
    console.error(`用法错误：请指定一个合同编号文件。\n\n${help}`);
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
  return { concurrency };
}

/** The configuration (file, environment, flags); warnings printed; an output path that is a folder is a usage error. */
export async function loadChatIdConfig(
  v: ChatIdFlags,
  concurrency: number | "auto" | undefined,
): Promise<number | ChatIdConfig> {
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
  return config;
}

/** The numbers to look up; nothing to do ends the run (2 for an input file without numbers, 0 for a retry). */
export async function collectNumbers(
  config: ChatIdConfig,
  inputFile: string | undefined,
  retryFailed: string | undefined,
): Promise<number | ChatIdWork> {
  const shape = {
    pattern: config.input.number_pattern,
    maxLength: config.input.max_length,
    requireDigit: config.input.require_digit,
  };
  const input = retryFailed ? undefined : await readContractFile(inputFile!, { shape });
  const previous = retryFailed ? await readChatIdExcel(retryFailed) : undefined;
  const numbers = input?.numbers ?? retryNumbers(previous!, shape);
  for (const line of formatImplausible(input?.implausible ?? [])) console.error(line);
  if (numbers.length) return { numbers, input, previous, retryFailed };
  if (input) {
    console.error(
      `用法错误：输入文件 ${inputFile} 中没有有效的合同编号（跳过空行 ${input.blank}、注释 ${input.comments}、` +
        `不像合同编号的值 ${input.implausible?.length ?? 0}）。未发送任何请求，已有输出未改动。`,
    );
    return 2;
  }
  console.log(
    `${retryFailed} 中没有需要重跑的行（失败行均已 SUCCESS 或不像合同编号）；未发送任何请求，已有输出未改动。`,
  );
  return 0;
}

/** `--retry-failed`: the non-SUCCESS rows' numbers that still look like contract numbers. */
function retryNumbers(previous: readonly ChatIdRow[], shape: ContractNumberShape): string[] {
  const failed = previous.filter((r) => r.status !== "SUCCESS").map((r) => r.contract_number);
  const { valid, implausible } = checkContractNumbers(failed, failed.map((_, i) => i + 2), shape);
  for (const line of formatImplausible(implausible)) console.error(line);
  return valid;
}

/** The run's NDJSON log file (in `log.dir`) and a logger writing to it and, from WARN, to the console. */
export async function openRunLog(
  config: ChatIdConfig,
): Promise<{ path: string; sink: NdjsonFileSink; logger: Logger }> {
  await Deno.mkdir(config.log.dir, { recursive: true });
  const path = `${config.log.dir}/chatid-${new Date().toISOString().replace(/[:.]/g, "-")}.ndjson`;
  const sink = new NdjsonFileSink(path);
  const logger = createLogger({ level: config.log.level, sinks: [sink, new ConsoleSink({ level: "warn" })] });
  return { path, sink, logger };
}

/** The encrypted token store and the run's context (clients, tokens). */
export async function openSession(
  config: ChatIdConfig,
  logger: Logger,
): Promise<{ store: TokenStore; ctx: ChatIdContext }> {
  const box = await loadSecretBox({
    keyFile: chatIdKeyFile(config),
    onCreated: (path) => console.error(keyCreatedNotice(path)),
  });
  const store = openTokenStore(chatIdTokenStore(config), { box, logger });
  return { store, ctx: createChatIdContext(config, { store, logger }) };
}

/** Print the configuration and what will be looked up. */
export function announce(config: ChatIdConfig, work: ChatIdWork): void {
  console.error("配置：");
  for (const line of configSummary(config)) console.error(line);
  const { input, numbers } = work;
  if (input) {
    console.error(
      `输入：${numbers.length} 个合同编号（跳过空行 ${input.blank}、注释 ${input.comments}、` +
        `不像合同编号的值 ${input.implausible?.length ?? 0}，去除重复 ${input.duplicates}）`,
    );
  } else console.error(`重跑失败行：${numbers.length} 个（来自 ${work.retryFailed}）`);
}

/** Fail fast: one cheap call each for the token and the cookie. */
export async function checkCredentials(
  ctx: ChatIdContext,
  config: ChatIdConfig,
  signal?: AbortSignal,
): Promise<void> {
  await ctx.tokens.getTenantToken(config.app.app_id, signal);
  await ctx.clm.checkSession(signal);
  console.error("凭证检查通过：tenant_access_token 与合同系统 cookie 均有效。");
}

/** Run the lookups with a progress bar; Ctrl+C stops new requests and writes what is done. */
export async function runLookups(
  config: ChatIdConfig,
  work: ChatIdWork,
  ctx: ChatIdContext,
  o: { logger: Logger; quiet?: boolean; force?: boolean; signal?: AbortSignal },
): Promise<ChatIdRunResult> {
  const conc = config.rate_limit.concurrency === "auto"
    ? autoConcurrency(config.rate_limit.global_qpm)
    : config.rate_limit.concurrency;
  const progress = o.quiet ? undefined : createProgress({ total: work.numbers.length, label: "合同" });
  const stop = new AbortController();
  const onSigint = () => {
    console.error("\n收到 Ctrl+C：停止新的请求，正在写出已完成的结果……");
    stop.abort(new DOMException("interrupted", "AbortError"));
  };
  Deno.addSignalListener("SIGINT", onSigint);
  try {
    return await runChatId({
      numbers: work.numbers,
      previous: work.previous,
      outputPath: config.output.path,
      extraColumns: config.output.extra_columns,
      concurrency: conc,
      deps: ctx,
      signal: o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal,
      onProgress: (d, t) => progress?.update(d, t),
      force: o.force,
      // The calls and their answers are handled in a Worker that can reach the Feishu hosts and
      // the token store only; this thread keeps the files (journal, Excel, log).
      resolver: workerResolver(config, { logger: o.logger }),
      logger: o.logger,
    });
  } finally {
    progress?.stop();
    Deno.removeSignalListener("SIGINT", onSigint);
  }
}

/** Print the summary and the files; the exit code (1 fatal, 130 interrupted, else 0). */
export function reportRun(result: ChatIdRunResult, logPath: string): number {
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
}
