/**
 * Endpoints of the contract (Open Platform) family.
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Path of the contract search endpoint. */
export const CONTRACT_SEARCH_PATH = "/open-apis/contract/v1/contracts/search";

/** Contract endpoints. */
export const CONTRACT_ENDPOINTS = [
  {
    name: "contract_search",
    family: "open_api",
    method: "POST",
    path: CONTRACT_SEARCH_PATH,
    title: "按合同编号精确查询合同",
  },
] as const satisfies readonly EndpointSpec[];
