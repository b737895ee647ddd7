/**
 * Run the plugin simulator by hand against a running sandbox and attachment
 * service:
 *
 * ```sh
 * deno task sandbox                                    # terminal 1
 * deno task attachments --base-api-url http://127.0.0.1:18080   # terminal 2
 * deno run --allow-net=127.0.0.1 sandbox/plugin/cli.ts --mode url --zip   # terminal 3
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { runPlugin } from "./plugin_simulator.ts";

const HELP = `多维表格插件 download-files 模拟器：像真插件一样把沙箱中的附件推送给附件下载服务。

用法：deno run --allow-net=127.0.0.1 sandbox/plugin/cli.ts [选项]

选项：
  --service <地址>   附件下载服务（默认 ws://127.0.0.1:11548）
  --sandbox <地址>   沙箱（默认 http://127.0.0.1:18080）
  --mode <模式>      url（本地客户端下载，默认）或 token（授权码下载）
  --name <任务名>    任务名（默认 附件下载）
  --limit <n>        只推送前 n 个附件
  --zip              下载完成后打包 ZIP
  --origin <来源>    Origin 请求头（默认插件的 https://ext.baseopendev.com）`;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    service: { type: "string", default: "ws://127.0.0.1:11548" },
    sandbox: { type: "string", default: "http://127.0.0.1:18080" },
    mode: { type: "string", default: "url" },
    name: { type: "string" },
    limit: { type: "string" },
    zip: { type: "boolean" },
    origin: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(HELP);
  Deno.exit(0);
}
const r = await runPlugin({
  service: values.service!,
  sandbox: values.sandbox!,
  mode: values.mode === "token" ? "token" : "url",
  jobName: values.name,
  limit: values.limit ? Number(values.limit) : undefined,
  zip: values.zip,
  origin: values.origin,
  onAck: (a) => {
    if (a.status !== "progress") console.log(JSON.stringify(a));
  },
});
if (r.probe) console.log(`版本探测：${r.probe.version ?? "无应答"}（${Math.round(r.probe.ms)} ms）`);
if (values.mode === "token") {
  console.log(`已推送 ${r.files} 个文件（授权码模式：插件推送后即断开，结果请看服务端）。`);
} else {
  console.log(
    `完成：成功 ${r.succeeded.size}，失败 ${r.failed.size}，刷新链接 ${r.refreshes} 次，job_complete：${r.jobCompleted}`,
  );
  if (r.fatal) console.log(`任务中止：${r.fatal}`);
}
