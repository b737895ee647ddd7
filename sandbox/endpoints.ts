/**
 * The endpoints the sandbox answers, by name. Names are what the journal,
 * the rate limits and the fault knobs are keyed by.
 *
 * @module
 */
import { EXPORT_ENDPOINTS, type ExportEndpointName } from "./scenarios/export/endpoints.ts";
import { MEETING_ENDPOINTS, type MeetingEndpointName } from "./scenarios/meeting/endpoints.ts";

/**
 * How a family of endpoints reports errors:
 * - `token`: auth v3 token endpoints (top-level fields, failures still HTTP 200);
 * - `oauth`: the v2 OAuth token endpoint (`{code, error, error_description}`;
 *   server faults 20050 [500] / 20072 [503]);
 * - `open_api`: Open Platform APIs (`{code, msg, data}`, gateway errors HTTP 4xx);
 * - `clm`: cookie-authenticated CLM web endpoints (`{code, message, data}`).
 */
export type EndpointFamily = "token" | "oauth" | "open_api" | "clm";

/** Name of an endpoint the sandbox serves. */
export type EndpointName =
  | ExportEndpointName
  | MeetingEndpointName
  | "tenant_token"
  | "app_token"
  | "contract_search"
  | "contract_and_task"
  | "cooperation_info";

/** Static description of one endpoint. */
export interface EndpointInfo {
  /** Name used by the journal, rate limits and faults. */
  name: EndpointName;
  /** Error family (decides the shape of injected errors). */
  family: EndpointFamily;
  /** HTTP method. */
  method: "GET" | "POST";
  /** Path, exactly as on Feishu. */
  path: string;
  /** Chinese one-line description (shown by `deno task sandbox`). */
  title: string;
}

/** Every endpoint served, in display order. */
export const ENDPOINTS: readonly EndpointInfo[] = [
  ...coreEndpoints(),
  ...EXPORT_ENDPOINTS,
  ...MEETING_ENDPOINTS,
];

function coreEndpoints(): EndpointInfo[] {
  return [
    {
      name: "tenant_token",
      family: "token",
      method: "POST",
      path: "/open-apis/auth/v3/tenant_access_token/internal",
      title: "获取 tenant_access_token（自建应用）",
    },
    {
      name: "app_token",
      family: "token",
      method: "POST",
      path: "/open-apis/auth/v3/app_access_token/internal",
      title: "获取 app_access_token（自建应用）",
    },
    {
      name: "contract_search",
      family: "open_api",
      method: "POST",
      path: "/open-apis/contract/v1/contracts/search",
      title: "按合同编号精确查询合同",
    },
    {
      name: "contract_and_task",
      family: "clm",
      method: "GET",
      path: "/clm/api/workflow/composition/contractAndTask",
      title: "CLM 网页接口：合同详情（含协作 ID）",
    },
    {
      name: "cooperation_info",
      family: "clm",
      method: "GET",
      path: "/clm/api/cooperation/info",
      title: "CLM 网页接口：协作信息（含群聊 ID）",
    },
  ];
}

/** Look up an endpoint by name. */
export function endpointInfo(name: string): EndpointInfo | undefined {
  return ENDPOINTS.find((e) => e.name === name);
}

/** `true` when `name` is a served endpoint name. */
export function isEndpointName(name: string): name is EndpointName {
  return endpointInfo(name) !== undefined;
}
