/** Demo part 1: contract number → openChatId with injected faults, then `--retry-failed`. */

import { stringify as toYaml } from "yaml";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET, DEFAULT_SESSION } from "../sandbox/mod.ts";
import { main as chatid } from "./chatid.ts";

/** Run this part of the demo; returns the exit code. */
export async function chatidDemo(
  sandbox: ReturnType<typeof createSandbox>,
  url: string,
  outDir: string,
): Promise<number> {
  console.log("=== 演示 1：合同编号 → openChatId ===");
  const ex = sandbox.examples(8);
  const input = `${outDir}/contracts.txt`;
  const lines = [
    "# 演示用合同编号清单：含空行、注释、重复、误粘贴的表头与各种失败情形",
    "contract_number", // not a contract number: listed and skipped before any request
    ex.ok[0],
    ex.ok[1],
    "",
    `  ${ex.ok[2]}\u3000`,
    ex.noCooperation[0],
    ex.noChat[0],
    ex.notFound[0],
    ex.ok[0], // duplicate
    "# 下面几个合同正常",
    ...ex.ok.slice(3),
    ex.noChat[1],
  ];
  await Deno.writeTextFile(input, "\uFEFF" + lines.join("\r\n") + "\r\n");
  const config = `${outDir}/chatid.yaml`;
  await Deno.writeTextFile(
    config,
    toYaml({
      app: { app_id: DEFAULT_APP_ID, app_secret: DEFAULT_APP_SECRET, base_url: url },
      clm: { base_url: url, cookie: `session=${DEFAULT_SESSION}` },
      rate_limit: {
        concurrency: 1,
        global_qpm: 2800,
        contract_search_qpm: 1100,
        contract_info_qpm: 1100,
        cooperation_info_qpm: 1100,
      },
      retry: { max_retries: 3, base_ms: 200, cap_ms: 2000 },
      output: { path: `${outDir}/contract_openChatId.xlsx`, extra_columns: true },
      log: { dir: `${outDir}/logs` },
      state: { token_db: `${outDir}/tokens.sqlite` },
    }),
  );
  // Faults, consumed in request order (concurrency 1 keeps the demo reproducible):
  // the 1st search answers "scope not enabled" → PERMISSION_DENIED; the 2nd is throttled
  // once (429 + x-ogw-ratelimit-reset) and recovers; the first contractAndTask call fails
  // four times with 5xx → RETRY_EXCEEDED after 3 retries.
  sandbox.faults.set("contract_search", { errorStatus: 400, errorCode: 99991672 });
  sandbox.faults.failNext("contract_search", 1, "error");
  sandbox.faults.failNext("contract_search", 1, "rate_limit");
  sandbox.faults.failNext("contract_and_task", 4, "error");
  console.log(`输入文件：${input}`);
  console.log("注入故障：权限不足 1 次、限流 1 次、contractAndTask 连续 5xx 4 次\n");
  const code = await chatid([input, "--config", config]);
  if (code !== 0) return code;

  console.log("\n--- 用 --retry-failed 只重跑失败行（故障已清除）---");
  sandbox.faults.reset();
  const retryCode = await chatid([
    "--retry-failed",
    `${outDir}/contract_openChatId.xlsx`,
    "--config",
    config,
    "--output",
    `${outDir}/contract_openChatId_retry.xlsx`,
    "--quiet",
  ]);
  console.log(
    `\n沙箱请求统计：获取 tenant_access_token ${sandbox.journal.count("tenant_token")} 次，` +
      `合同搜索 ${
        sandbox.journal.count("contract_search")
      } 次，限流应答 ${sandbox.journal.countThrottled()} 次`,
  );
  return retryCode;
}
