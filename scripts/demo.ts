/**
 * `deno task demo`: run the main jobs end to end against the built-in Feishu
 * sandbox, with no configuration: starts the sandbox in-process, writes
 * sample inputs, injects a few faults, runs the tools through their real CLI
 * entry points, and prints the summaries and output paths.
 *
 * @module
 */
import { stringify as toYaml } from "yaml";
import { exportFamily } from "../lib/sandbox/export/mod.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET, DEFAULT_SESSION } from "../lib/sandbox/mod.ts";
import { main as chatid } from "./chatid.ts";
import { main as exportRecords } from "./export.ts";

const OUT = "output/demo";

/** Run the demo; returns the exit code. */
export async function runDemo(outDir = OUT): Promise<number> {
  await Deno.remove(outDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(outDir, { recursive: true });
  const sandbox = createSandbox({
    contractCount: 80,
    // Feishu-like budgets; the tool is configured just under them.
    rateLimits: { global: { perSecond: 50 }, contract_search: { perSecond: 20 } },
    // A smaller cooperation-record set than the real 80k, with one day over the 1,000-row cap.
    export: {
      recordCount: 6000,
      startDate: "2024-01-01",
      endDate: "2024-04-30",
      spikeDays: 1,
      deliveryDelayMs: 300,
    },
  });
  const server = await sandbox.listen();
  try {
    console.log(`飞书沙箱已启动：${server.url}\n`);
    const code = await chatidDemo(sandbox, server.url, outDir);
    if (code !== 0) return code;
    return await exportDemo(sandbox, server.url, outDir);
  } finally {
    await server.close();
  }
}

async function chatidDemo(
  sandbox: ReturnType<typeof createSandbox>,
  url: string,
  outDir: string,
): Promise<number> {
  console.log("=== 演示 1：合同编号 → openChatId ===");
  const ex = sandbox.examples(8);
  const input = `${outDir}/contracts.txt`;
  const lines = [
    "# 演示用合同编号清单：含空行、注释、重复与各种失败情形",
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

async function exportDemo(
  sandbox: ReturnType<typeof createSandbox>,
  url: string,
  outDir: string,
): Promise<number> {
  console.log("\n=== 演示 2：合同协同记录批量导出（无界面 Chromium 打开沙箱飞书网页版收取文件）===");
  const config = `${outDir}/export.yaml`;
  // The records-list request, as a user copies it from the browser: exact counts keep the
  // number of exports near the minimum.
  const countCurl = `${outDir}/count-curl.txt`;
  await Deno.writeTextFile(
    countCurl,
    (await Deno.readTextFile("config/export.sandbox.count-curl.txt")).replaceAll(
      "http://127.0.0.1:18080",
      url,
    ),
  );
  await Deno.writeTextFile(
    config,
    toYaml({
      range: { start: "2024-01-01", end: "2024-04-30" },
      count: { curl: countCurl },
      auth: { cookie: `session=${DEFAULT_SESSION}`, base_url: url },
      rate_limit: { global_qpm: 600, export_qpm: 300 },
      output: { dir: `${outDir}/export` },
      collector: { kind: "browser", poll_interval_sec: 0.5, delivery_timeout_sec: 60 },
      messenger: {
        url: `${url}/messenger/`,
        profile_dir: `${outDir}/chromium-profile`,
        headless: true,
        qr_save_path: `${outDir}/login_qr.png`,
      },
    }),
  );
  // Stand in for the phone: "scan" every QR code the messenger shows.
  const scanner = setInterval(() => exportFamily(sandbox.state).messenger.scan(), 300);
  try {
    const code = await exportRecords(["--config", config]);
    const verify = await Deno.readTextFile(`${outDir}/export/verify.md`).catch(() => "");
    if (verify) console.log(`\n${verify.split("\n").slice(0, 20).join("\n")}`);
    console.log(`\n任务目录：${outDir}/export（report.md、verify.md、各窗口文件与合并文件）`);
    return code;
  } finally {
    clearInterval(scanner);
  }
}

if (import.meta.main) Deno.exit(await runDemo());
