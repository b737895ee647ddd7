/**
 * Endpoints of the CLM web family (paths in `shapes.ts`, UNCONFIRMED shapes).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";
import { CLM_PATHS } from "./shapes.ts";

/** CLM web endpoints. */
export const CLM_ENDPOINTS = [
  {
    name: "contract_and_task",
    family: "clm",
    method: "GET",
    path: CLM_PATHS.contractAndTask,
    title: "CLM 网页接口：合同详情（含协作 ID）",
  },
  {
    name: "cooperation_info",
    family: "clm",
    method: "GET",
    path: CLM_PATHS.cooperationInfo,
    title: "CLM 网页接口：协作信息（含群聊 ID）",
  },
  {
    name: "cooperation_export",
    family: "clm",
    method: "POST",
    path: CLM_PATHS.exportRecords,
    title: "CLM 网页接口：导出协同操作记录（结果以「飞书合同」机器人消息送达）",
  },
  {
    name: "cooperation_search",
    family: "clm",
    method: "POST",
    path: CLM_PATHS.searchRecords,
    title: "CLM 网页接口：协同操作记录列表（分页，含总数；路径为沙箱假设，导出可用它精确计数）",
  },
] as const satisfies readonly EndpointSpec[];
