/**
 * `POST /clm/api/cooperation/exportCooperationRecords` (internal route
 * module), behind the CLM `session` cookie like the other CLM web endpoints
 * (missing/expired → the logged-out answer chosen by `setLoggedOutStyle`).
 *
 * Request (PUBCLM, shared/docs/feishu-api.md §7): header `Timezone-Offset`
 * (default -480), body `{keyword?, searchTabEnumCode?, searchCooperationByCreateTime:
 * [fromMs, toMs]}` (inclusive epoch ms).
 *
 * ASSUMPTIONS (the real response is undocumented; this is the contract shared
 * with the export pipeline): success `{code:0, message:"success", data:{taskId,
 * total}}` where `total` counts the matching records; the file is delivered
 * later as a bot message and holds min(total, 1000) rows, the first by
 * creation time, so truncation shows as total > rows and in the message text;
 * a bad body → HTTP 200 `{code:400, message}`; `searchTabEnumCode` does not
 * filter.
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit, requireSession } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { clmError, sendJson } from "../_respond.ts";
import type { SandboxState } from "../state.ts";
import { COOPERATION_EXPORT_PATH } from "./endpoints.ts";
import type { ExportRequest } from "./export_task.ts";
import { exportFamily } from "./family.ts";

/** Register the export endpoint. */
export function registerClmExportRoute(app: SandboxApp, state: SandboxState): void {
  app.post(COOPERATION_EXPORT_PATH, endpoint(state, "cooperation_export"), (c) => exportRecords(c, state));
}

async function exportRecords(c: SandboxContext, state: SandboxState): Promise<Response> {
  const session = requireSession(c, state);
  if (session instanceof Response) return session;
  const limited = enforceRateLimit(c, state, `session:${session}`);
  if (limited) return limited;
  const bad = (why: string) => clmError(c, state.clock, 200, 400, `参数错误：${why}`);
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return bad("请求体不是合法的 JSON");
  }
  const parsed = parseBody(body, c.req.header("timezone-offset"));
  if (typeof parsed === "string") return bad(parsed);
  const task = exportFamily(state).requestExport(parsed);
  return sendJson(c, state.clock, {
    code: 0,
    message: "success",
    data: { taskId: task.taskId, total: task.total },
  });
}

/** The validated request, or a Chinese reason. */
function parseBody(body: unknown, tzHeader: string | undefined): ExportRequest | string {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return "请求体必须是 JSON 对象";
  const b = body as Record<string, unknown>;
  const range = b.searchCooperationByCreateTime;
  if (!Array.isArray(range) || range.length !== 2) {
    return "searchCooperationByCreateTime 必须是 [开始毫秒, 结束毫秒] 两个数字";
  }
  const [fromMs, toMs] = range;
  if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || fromMs < 0 || toMs < 0) {
    return "searchCooperationByCreateTime 的两个值必须是非负整数毫秒时间戳";
  }
  if (fromMs > toMs) return "searchCooperationByCreateTime 的开始时间晚于结束时间";
  if (b.keyword !== undefined && b.keyword !== null && typeof b.keyword !== "string") {
    return "keyword 必须是字符串";
  }
  const tab = b.searchTabEnumCode;
  if (tab !== undefined && tab !== null && typeof tab !== "number") return "searchTabEnumCode 必须是数字";
  let tzOffset = -480;
  if (tzHeader !== undefined && tzHeader.trim() !== "") {
    tzOffset = Number(tzHeader.trim());
    if (!Number.isInteger(tzOffset) || Math.abs(tzOffset) > 14 * 60) return "Timezone-Offset 无效";
  }
  return {
    fromMs,
    toMs,
    tzOffset,
    keyword: typeof b.keyword === "string" ? b.keyword.trim() : "",
    searchTabEnumCode: typeof tab === "number" ? tab : undefined,
  };
}
