/**
 * CLM web endpoints (host contract.feishu.cn in reality), behind the
 * `session` cookie (public client code of the contract search and CLM web endpoints, PUBCLM):
 * - `GET /clm/api/workflow/composition/contractAndTask?contractId=<id>&withDocVersion=true`
 *   → `data.contract.contractInfo.{contractId, contractNumber, cooperationId}`;
 * - `GET /clm/api/cooperation/info?cooperationId=<id>` → `data.{cooperationId, openChatId}`;
 * - `GET /accounts/page/login`: the stand-in login page logged-out answers point to.
 *
 * Every shape here is UNCONFIRMED and built by `shapes.ts` (the one file to
 * edit with captured answers): envelope, business errors (missing id → 400,
 * unknown id → 404, both HTTP 200), extra fields. A missing cooperation/chat
 * id is rendered as an omitted field or `null`, alternating per contract.
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit, requireSession } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { loginPageHtml } from "../_pages.ts";
import { sendJson } from "../_respond.ts";
import type { SandboxState } from "../state.ts";
import {
  CLM_ERRORS,
  CLM_PATHS,
  type ClmAnswer,
  clmOk,
  contractAndTaskData,
  cooperationInfoData,
} from "./shapes.ts";

/** Path of the contract-and-task endpoint. */
export const CONTRACT_AND_TASK_PATH = CLM_PATHS.contractAndTask;
/** Path of the cooperation info endpoint. */
export const COOPERATION_INFO_PATH = CLM_PATHS.cooperationInfo;
/** Path of the stand-in login page. */
export const LOGIN_PAGE_PATH = CLM_PATHS.loginPage;

/** Register the CLM web endpoints and the login page on `app`. */
export function registerClmLookupRoutes(app: SandboxApp, state: SandboxState): void {
  app.get(CONTRACT_AND_TASK_PATH, endpoint(state, "contract_and_task"), (c) => contractAndTask(c, state));
  app.get(COOPERATION_INFO_PATH, endpoint(state, "cooperation_info"), (c) => cooperationInfo(c, state));
  app.get(LOGIN_PAGE_PATH, (c) => {
    const entry = c.get("entry");
    if (entry) entry.endpoint = "login_page";
    return c.html(loginPageHtml(c.req.query("redirect_uri")));
  });
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
  if (!id) return sendClm(c, state, CLM_ERRORS.badRequest("缺少 contractId"));
  const contract = state.contractIndex.byId(id);
  if (!contract) return sendClm(c, state, CLM_ERRORS.contractNotFound());
  return sendClm(c, state, clmOk(contractAndTaskData(contract)));
}

function cooperationInfo(c: SandboxContext, state: SandboxState): Response {
  const refused = guard(c, state);
  if (refused) return refused;
  const id = c.req.query("cooperationId");
  if (!id) return sendClm(c, state, CLM_ERRORS.badRequest("缺少 cooperationId"));
  const contract = state.contractIndex.byCooperationId(id);
  if (!contract) return sendClm(c, state, CLM_ERRORS.cooperationNotFound());
  return sendClm(c, state, clmOk(cooperationInfoData(contract, id)));
}

/** Send a {@linkcode ClmAnswer}. */
export function sendClm(c: SandboxContext, state: SandboxState, answer: ClmAnswer): Response {
  return sendJson(c, state.clock, answer.body, answer.status);
}
