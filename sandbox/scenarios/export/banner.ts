/**
 * Lines `deno task sandbox` prints about the export family (Chinese).
 *
 * @module
 */
import type { SandboxState } from "../../state.ts";
import { COOPERATION_SEARCH_PATH } from "./endpoints.ts";
import { exportFamily } from "./family.ts";
import { EXPORT_ROW_CAP } from "./options.ts";

/** Banner lines for a sandbox served at `url`: data set, messenger URL, IM token and control calls. */
export function exportBannerLines(state: SandboxState, url: string): string[] {
  const f = exportFamily(state);
  const over = f.dataset.daysOver(EXPORT_ROW_CAP);
  return [
    "协同操作记录导出：",
    `  数据集：${f.dataset.startDate} 至 ${f.dataset.endDate}，共 ${f.dataset.recordCount} 条；` +
    `单日超过 ${EXPORT_ROW_CAP} 条的日期：${
      over.length ? over.map((d) => `${d.date}（${d.count} 条）`).join("、") : "无"
    }`,
    `  导出结果在 ${f.deliveryDelayMs} 毫秒后由「飞书合同」机器人送达`,
    `  协同记录列表（含总数，可用于精确计数）：POST ${url}${COOPERATION_SEARCH_PATH}`,
    `  飞书网页版（扫码登录）：${url}/messenger/`,
    `  模拟扫码：POST ${url}/__sandbox/messenger/scan   使会话失效：POST ${url}/__sandbox/messenger/logout`,
    `  导出设置：GET|POST ${url}/__sandbox/export，例如 {"deliveryDelayMs":500,"shuffleMs":2000}`,
    f.options.imUserTokenReads
      ? `  开放平台消息接口（未经官方确认的用户令牌读取已开启）：会话 ID ${f.botChatId}，用户令牌 ${
        f.options.userAccessTokens[0] ?? "（无）"
      }`
      : `  开放平台消息接口：按文档只接受 tenant_access_token（本应用机器人不在该会话，返回 230002/234004）；` +
        `--im-user-token 开启未经确认的用户令牌读取`,
  ];
}
