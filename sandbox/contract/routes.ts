/**
 * Contract (CLM) Open Platform endpoints:
 * `POST /open-apis/contract/v1/contracts/search?user_id_type=user_id`
 * (public client code of the contract search).
 *
 * - Auth is checked before parameters (probe log P15): see `requireTenantToken`.
 * - `user_id_type` is server-required; missing or unknown → 99992402
 *   "field validation failed" with `error.field_violations`, HTTP 400 (generic
 *   validation code; HTTP 400 as observed for it on other APIs).
 * - Top-level `contract_number` = exact match, ≤ 1 result, other conditions
 *   ignored; not found → code 110107 with a non-2xx status (public client code).
 *   ASSUMPTIONS: HTTP 400 and the message "contract not found".
 * - Without `contract_number`, all contracts are listed with
 *   `page_size` (default 10, ASSUMED max 50) / `page_token` paging.
 *
 * @module
 */
import { CONTRACT_SEARCH_PATH } from "./endpoints.ts";
export { CONTRACT_SEARCH_PATH };
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit, requireTenantToken } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import type { SandboxContract } from "./data.ts";
import type { SandboxState } from "../state.ts";

const USER_ID_TYPES = ["user_id", "union_id", "open_id"];
const MAX_PAGE_SIZE = 50;

/** Register the contract endpoints on `app`. */
export function registerContractRoutes(app: SandboxApp, state: SandboxState): void {
  app.post(CONTRACT_SEARCH_PATH, endpoint(state, "contract_search"), (c) => searchContracts(c, state));
}

/** Wire shape of one contract in search results. */
export function contractItem(contract: SandboxContract): Record<string, unknown> {
  return {
    contract_id: contract.contractId,
    contract_number: contract.contractNumber,
    contract_name: contract.contractName,
    contract_status_code: contract.contractStatusCode,
    create_time: String(contract.createTime),
  };
}

async function searchContracts(c: SandboxContext, state: SandboxState): Promise<Response> {
  const clock = state.clock;
  const token = requireTenantToken(c, state);
  if (token instanceof Response) return token;
  const limited = enforceRateLimit(c, state, token.appId);
  if (limited) return limited;

  const invalid = (field: string, description: string) =>
    openApiError(c, clock, 400, 99992402, "field validation failed", [{ field, description }]);
  const userIdType = c.req.query("user_id_type");
  if (!userIdType) return invalid("user_id_type", "user_id_type is required");
  if (!USER_ID_TYPES.includes(userIdType)) return invalid("user_id_type", "user_id_type is invalid");

  let body: Record<string, unknown>;
  try {
    const text = await c.req.text();
    body = text.trim() === "" ? {} : JSON.parse(text);
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new TypeError("not an object");
    }
  } catch {
    return invalid("body", "request body is not a valid JSON object");
  }

  const number = body.contract_number;
  if (number !== undefined && typeof number !== "string") {
    return invalid("contract_number", "contract_number must be a string");
  }
  if (typeof number === "string" && number !== "") {
    const found = state.contractIndex.byNumber(number);
    if (!found) return openApiError(c, clock, 400, 110107, "contract not found");
    return sendJson(c, clock, {
      code: 0,
      msg: "success",
      data: { items: [contractItem(found)], has_more: false, page_token: "" },
    });
  }

  const pageSize = body.page_size ?? 10;
  if (
    typeof pageSize !== "number" || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE
  ) {
    return invalid("page_size", `page_size must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  const pageToken = body.page_token ?? "";
  const offset = pageToken === "" ? 0 : Number(pageToken);
  if (typeof pageToken !== "string" || !Number.isInteger(offset) || offset < 0) {
    return invalid("page_token", "page_token is invalid");
  }
  const all = state.contracts;
  const items = all.slice(offset, offset + pageSize).map(contractItem);
  const hasMore = offset + pageSize < all.length;
  return sendJson(c, clock, {
    code: 0,
    msg: "success",
    data: { items, has_more: hasMore, page_token: hasMore ? String(offset + pageSize) : "" },
  });
}
