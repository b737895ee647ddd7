/**
 * 合同编号 → openChatId 批量查询。
 *
 * Usage: `deno task chatid contracts.txt [--config config/chatid.yaml]`
 * (or `deno run -A scripts/chatid.ts contracts.txt`). Run with `--help` for
 * every flag.
 *
 * @module
 */
import { reportError } from "../lib/cli/report_error.ts";
import { parseCli } from "../lib/cli/parse_cli.ts";
import { useUtf8Console } from "../lib/cli/utf8_console.ts";
import { LarkError } from "../lib/errors/lark_error.ts";
import { closeTokenStore } from "../lib/token/open_token_store.ts";
import type { TokenStore } from "../lib/token/token_store.ts";
import { outputFromJournal, readContractFile } from "../pipelines/chatid/mod.ts";
import {
  announce,
  checkCredentials,
  checkUsage,
  collectNumbers,
  loadChatIdConfig,
  openRunLog,
  openSession,
  reportRun,
  runLookups,
} from "./_chatid_steps.ts";

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
  const usage = await checkUsage(v, positionals, HELP);
  if (typeof usage === "number") return usage;
  let store: TokenStore | undefined;
  let log: Awaited<ReturnType<typeof openRunLog>> | undefined;
  try {
    const config = await loadChatIdConfig(v, usage.concurrency);
    if (typeof config === "number") return config;
    const work = await collectNumbers(config, positionals[0], v["retry-failed"]);
    if (typeof work === "number") return work;
    log = await openRunLog(config);
    const session = await openSession(config, log.logger);
    store = session.store;
    announce(config, work);
    await checkCredentials(session.ctx, config, signal);
    const result = await runLookups(config, work, session.ctx, { ...v, logger: log.logger, signal });
    return reportRun(result, log.path);
  } catch (e) {
    reportError(e);
    return e instanceof LarkError && e.kind === "bad_request" ? 2 : 1;
  } finally {
    if (store) await closeTokenStore(store);
    log?.sink.close();
  }
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
