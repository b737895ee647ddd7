/**
 * Every wire shape of the CLM web app (contract.feishu.cn, cookie session)
 * that the sandbox had to invent — UNCONFIRMED, listed in
 * `sandbox/UNCONFIRMED.md`. Only the paths, the request fields and
 * `data.contract.contractInfo.cooperationId` / `data.openChatId` were seen in
 * public client code; envelopes, business errors, the export answer and the
 * list endpoint are guesses. A user who captures real answers (browser
 * developer tools → Network) edits this one file: paths, envelope, the data
 * builders and the error answers below; the routes only call these.
 *
 * @module
 */
import type { SandboxContract } from "../contract/data.ts";

/** Paths of the CLM web endpoints. */
export const CLM_PATHS = {
  /** Contract detail with its cooperation id (seen in public code). */
  contractAndTask: "/clm/api/workflow/composition/contractAndTask",
  /** Cooperation detail with its group chat id (seen in public code). */
  cooperationInfo: "/clm/api/cooperation/info",
  /** Bulk export of cooperation records (seen in public code; answer UNCONFIRMED). */
  exportRecords: "/clm/api/cooperation/exportCooperationRecords",
  /** The record list the page shows (path and shape UNCONFIRMED). */
  searchRecords: "/clm/api/cooperation/searchCooperationRecords",
  /** The stand-in login page logged-out answers point to (UNCONFIRMED). */
  loginPage: "/accounts/page/login",
} as const;

/** HTTP status and body of a CLM answer. */
export interface ClmAnswer {
  /** HTTP status. */
  status: number;
  /** JSON body. */
  body: Record<string, unknown>;
}

/** A success envelope: `{code: 0, message: "success", data}` (UNCONFIRMED). */
export function clmOk(data: unknown): ClmAnswer {
  return { status: 200, body: { code: 0, message: "success", data } };
}

/** A business error: HTTP 200 `{code, message, data: null}` (UNCONFIRMED: web apps of this kind answer 200). */
export function clmFail(code: number, message: string, status = 200): ClmAnswer {
  return { status, body: { code, message, data: null } };
}

/** Business errors of the CLM endpoints (UNCONFIRMED codes and wording). */
export const CLM_ERRORS = {
  /** A missing or invalid parameter. */
  badRequest: (why: string): ClmAnswer => clmFail(400, `参数错误：${why}`),
  /** Unknown contract id. */
  contractNotFound: (): ClmAnswer => clmFail(404, "合同不存在"),
  /** Unknown cooperation id. */
  cooperationNotFound: (): ClmAnswer => clmFail(404, "协作不存在"),
  /** Internal error (injected faults). */
  internal: (status: number, code = 500): ClmAnswer => clmFail(code, "系统繁忙，请稍后重试", status),
  /** Throttled (no known shape; also sends `Retry-After`). */
  throttled: (): ClmAnswer => clmFail(429, "请求过于频繁，请稍后重试", 429),
  /** Logged out, default style: HTTP 401 `{code: 10001}`. */
  loggedOut: (): ClmAnswer => clmFail(10001, "未登录或登录已过期", 401),
} as const;

/** Put `value` under `key`, or render its absence as the contract dictates (omitted or `null`). */
function setOptional(target: Record<string, unknown>, key: string, value: string | null, c: SandboxContract) {
  if (value !== null) target[key] = value;
  else if (c.absentAs === "null") target[key] = null;
}

/** `data` of contractAndTask: `contract.contractInfo.cooperationId` is the part clients read. */
export function contractAndTaskData(contract: SandboxContract): Record<string, unknown> {
  const contractInfo: Record<string, unknown> = {
    contractId: contract.contractId,
    contractNumber: contract.contractNumber,
    contractName: contract.contractName,
  };
  setOptional(contractInfo, "cooperationId", contract.cooperationId, contract);
  return { contract: { contractInfo }, taskList: [] };
}

/** `data` of cooperation/info: `openChatId` is the part clients read. */
export function cooperationInfoData(
  contract: SandboxContract,
  cooperationId: string,
): Record<string, unknown> {
  const data: Record<string, unknown> = { cooperationId, contractId: contract.contractId };
  setOptional(data, "openChatId", contract.openChatId, contract);
  return data;
}

/** `data` of an accepted export: the task id and how many records matched. */
export function exportAcceptedData(task: { taskId: string; total: number }): Record<string, unknown> {
  return { taskId: task.taskId, total: task.total };
}

/** `data` of a list page: the total for the filters and the page's items. */
export function searchPageData(page: { total: number; list: readonly unknown[] }): Record<string, unknown> {
  return { total: page.total, list: page.list };
}
