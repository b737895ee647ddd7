/**
 * Lines `deno task sandbox` prints about the Base family (Chinese): the data
 * set, the personal base token, and how to watch a whole download job with
 * the plugin simulator.
 *
 * @module
 */
import type { SandboxState } from "../state.ts";
import { baseFamily } from "./family.ts";

/** Banner lines for a sandbox served at `url`. */
export function baseBannerLines(state: SandboxState, url: string): string[] {
  const f = baseFamily(state);
  return [
    "多维表格附件（附件下载服务 deno task attachments）：",
    `  附件：${f.attachments.length} 个，共 ${f.totalBytes()} 字节；授权码：${f.personalBaseToken}`,
    `  启动服务：PERSONAL_BASE_TOKEN=${f.personalBaseToken} deno task attachments --base-api-url ${url}`,
    `  模拟插件：deno run --allow-net=127.0.0.1 sandbox/plugin/cli.ts --sandbox ${url} [--mode token] [--zip]`,
    `  附件设置：POST ${url}/__sandbox/base/configure，例如 {"attachments":200,"expiredOnFirstUse":0.1,"fail5xxOnce":0.05}`,
  ];
}
