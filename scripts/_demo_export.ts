/** Demo part 2: the bulk export with headless Chromium and exact counts. */

import { stringify as toYaml } from "yaml";
import { exportFamily } from "../sandbox/scenarios/export/mod.ts";
import { createSandbox, DEFAULT_SESSION } from "../sandbox/mod.ts";
import { main as exportRecords } from "./export.ts";

/** Run this part of the demo; returns the exit code. */
export async function exportDemo(
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

/** Size of the demo recordings: 2 MiB. */
