/**
 * CLM web endpoints (host contract.feishu.cn in reality), behind the
 * `session` cookie (shared/docs/feishu-api.md §7, PUBCLM):
 * - `GET /clm/api/workflow/composition/contractAndTask?contractId=<id>&withDocVersion=true`
 *   → `data.contract.contractInfo.{contractId, contractNumber, cooperationId}`;
 * - `GET /clm/api/cooperation/info?cooperationId=<id>` → `data.{cooperationId, openChatId}`;
 * - `GET /accounts/page/login`: the stand-in login page logged-out answers point to.
 *
 * ASSUMPTIONS (undocumented web API): envelope `{code, message, data}`;
 * a missing id parameter → HTTP 200 `{code:400}`; an unknown id → HTTP 200
 * `{code:404, message:"合同不存在"/"协作不存在", data:null}` (web apps of this kind
 * answer business errors with HTTP 200); extra fields (`contractName`,
 * `contractId` on the cooperation, `taskList`). A missing cooperation/chat id
 * is rendered as an omitted field or `null`, alternating per contract.
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit, requireSession } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { loginPageHtml } from "../_pages.ts";
import { clmError, sendJson } from "../_respond.ts";
import type { SandboxContract } from "../contract/data.ts";
import type { SandboxState } from "../state.ts";

/** Path of the contract-and-task endpoint. */
export const CONTRACT_AND_TASK_PATH = "/clm/api/workflow/composition/contractAndTask";
/** Path of the cooperation info endpoint. */
export const COOPERATION_INFO_PATH = "/clm/api/cooperation/info";
/** Path of the stand-in login page. */
export const LOGIN_PAGE_PATH = "/accounts/page/login";

/** Register the CLM web endpoints and the login page on `app`. */
export function registerClmRoutes(app: SandboxApp, state: SandboxState): void {
  app.get(CONTRACT_AND_TASK_PATH, endpoint(state, "contract_and_task"), (c) => contractAndTask(c, state));
  app.get(COOPERATION_INFO_PATH, endpoint(state, "cooperation_info"), (c) => cooperationInfo(c, state));
  app.get(LOGIN_PAGE_PATH, (c) => {
    const entry = c.get("entry");
    if (entry) entry.endpoint = "login_page";
    return c.html(loginPageHtml(c.req.query("redirect_uri")));
  });
}

/** Put `value` under `key`, or render the absence as the contract dictates. */
function setOptional(target: Record<string, unknown>, key: string, value: string | null, c: SandboxContract) {
  if (value !== null) target[key] = value;
  else if (c.absentAs === "null") target[key] = null;
}

/** Session + rate limit; the refusing `Response` or `undefined` to go on. */
function guard(c: SandboxContext, state: SandboxState): Response | undefined {
  const session = requireSession(c, state);
  if (session instanceof Response) return session;
  return enforceRateLimit(c, state, `session:${session}`);
}

function contractAndTask(c: SandboxContext, state: SandboxState): Response {
  const refused = guard(c, state);
  if (refused) return refused;
  const id = c.req.query("contractId");
  if (!id) return clmError(c, state.clock, 200, 400, "参数错误：缺少 contractId");
  const contract = state.contractIndex.byId(id);
  if (!contract) return clmError(c, state.clock, 200, 404, "合同不存在");
  const contractInfo: Record<string, unknown> = {
    contractId: contract.contractId,
    contractNumber: contract.contractNumber,
    contractName: contract.contractName,
  };
  setOptional(contractInfo, "cooperationId", contract.cooperationId, contract);
  return sendJson(c, state.clock, {
    code: 0,
    message: "success",
    data: { contract: { contractInfo }, taskList: [] },
  });
}

function cooperationInfo(c: SandboxContext, state: SandboxState): Response {
  const refused = guard(c, state);
  if (refused) return refused;
  const id = c.req.query("cooperationId");
  if (!id) return clmError(c, state.clock, 200, 400, "参数错误：缺少 cooperationId");
  const contract = state.contractIndex.byCooperationId(id);
  if (!contract) return clmError(c, state.clock, 200, 404, "协作不存在");
  const data: Record<string, unknown> = { cooperationId: id, contractId: contract.contractId };
  setOptional(data, "openChatId", contract.openChatId, contract);
  return sendJson(c, state.clock, { code: 0, message: "success", data });
}
