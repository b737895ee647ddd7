/**
 * `POST /clm/api/cooperation/exportCooperationRecords` and the list endpoint
 * `POST /clm/api/cooperation/searchCooperationRecords` (internal route
 * module), behind the CLM `session` cookie like the other CLM web endpoints
 * (missing/expired → the logged-out answer chosen by `setLoggedOutStyle`).
 *
 * Request (PUBCLM, public client code of the contract search and CLM web endpoints): header `Timezone-Offset`
 * (default -480), body `{keyword?, searchTabEnumCode?, searchCooperationByCreateTime:
 * [fromMs, toMs]}` (inclusive epoch ms).
 *
 * UNCONFIRMED (the real response is undocumented; shapes built by `shapes.ts`,
 * the one file to edit with captured answers): success `{code:0, message:"success",
 * data:{taskId, total}}` where `total` counts the matching records; the file is delivered
 * later as a bot message and holds min(total, 1000) rows, the first by
 * creation time, so truncation shows as total > rows and in the message text;
 * a bad body → HTTP 200 `{code:400, message}`; `searchTabEnumCode` does not
 * filter.
 *
 * The list endpoint (ASSUMPTION, see `search.ts`: path, paging fields and
 * answer are not documented) takes the same body plus `pageNum` (default 1)
 * and `pageSize` (default 20, at most 100) and answers `{code:0,
 * message:"success", data:{total, list}}`; bad bodies answer like the export.
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit, requireSession } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { sendClm } from "./_routes_chat_lookup.ts";
import { CLM_ERRORS, CLM_PATHS, clmOk, exportAcceptedData, searchPageData } from "./shapes.ts";
import type { SandboxState } from "../state.ts";
import type { ExportRequest } from "./export_task.ts";
import { exportFamily } from "../scenarios/export/family.ts";
import {
  DEFAULT_SEARCH_PAGE_SIZE,
  MAX_SEARCH_PAGE_SIZE,
  searchCooperationRecords,
  type SearchRequest,
} from "./search.ts";

/** Register the export endpoint and the list endpoint. */
export function registerClmExportRoutes(app: SandboxApp, state: SandboxState): void {
  app.post(CLM_PATHS.exportRecords, endpoint(state, "cooperation_export"), (c) => exportRecords(c, state));
  app.post(CLM_PATHS.searchRecords, endpoint(state, "cooperation_search"), (c) => searchRecords(c, state));
}

/** Session, rate limit and body of a CLM call: the parsed body, or the refusing response. */
async function admit(c: SandboxContext, state: SandboxState): Promise<Record<string, unknown> | Response> {
  const session = requireSession(c, state);
  if (session instanceof Response) return session;
  const limited = enforceRateLimit(c, state, `session:${session}`);
  if (limited) return limited;
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return bad(c, state, "请求体不是合法的 JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return bad(c, state, "请求体必须是 JSON 对象");
  }
  return body as Record<string, unknown>;
}

function bad(c: SandboxContext, state: SandboxState, why: string): Response {
  return sendClm(c, state, CLM_ERRORS.badRequest(why));
}

async function exportRecords(c: SandboxContext, state: SandboxState): Promise<Response> {
  const body = await admit(c, state);
  if (body instanceof Response) return body;
  const parsed = parseBody(body, c.req.header("timezone-offset"));
  if (typeof parsed === "string") return bad(c, state, parsed);
  const task = exportFamily(state).requestExport(parsed);
  return sendClm(c, state, clmOk(exportAcceptedData(task)));
}

async function searchRecords(c: SandboxContext, state: SandboxState): Promise<Response> {
  const body = await admit(c, state);
  if (body instanceof Response) return body;
  const parsed = parseBody(body, c.req.header("timezone-offset"));
  if (typeof parsed === "string") return bad(c, state, parsed);
  const paging = parsePaging(body);
  if (typeof paging === "string") return bad(c, state, paging);
  const page = searchCooperationRecords(exportFamily(state).dataset, { ...parsed, ...paging });
  return sendClm(c, state, clmOk(searchPageData(page)));
}

/** `pageNum` (default 1) and `pageSize` (default 20, 1..100), or a Chinese reason. */
function parsePaging(b: Record<string, unknown>): Pick<SearchRequest, "pageNum" | "pageSize"> | string {
  const pageNum = b.pageNum ?? 1;
  const pageSize = b.pageSize ?? DEFAULT_SEARCH_PAGE_SIZE;
  if (!Number.isSafeInteger(pageNum) || (pageNum as number) < 1) return "pageNum 必须是正整数";
  if (
    !Number.isSafeInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > MAX_SEARCH_PAGE_SIZE
  ) {
    return `pageSize 必须是 1 到 ${MAX_SEARCH_PAGE_SIZE} 之间的整数`;
  }
  return { pageNum: pageNum as number, pageSize: pageSize as number };
}

/** The validated request, or a Chinese reason. */
function parseBody(b: Record<string, unknown>, tzHeader: string | undefined): ExportRequest | string {
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
