/**
 * Endpoints of the aPaaS family: workspace tables and records (user token only,
 * 10/s; open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/workspace-table/list …),
 * application functions (the sandbox's stand-in for AI capabilities) and flows
 * (tenant token; flow execute 100/min).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";
import type { RateLimitTable } from "../options.ts";

const WS = "/open-apis/apaas/v1/workspaces/:workspace_id";
const APP = "/open-apis/apaas/v1/applications/:namespace";

/** Paths of the aPaaS endpoints. */
export const APAAS_PATHS = {
  tables: `${WS}/tables`,
  table: `${WS}/tables/:table_name`,
  records: `${WS}/tables/:table_name/records`,
  batchUpdate: `${WS}/tables/:table_name/records_batch_update`,
  invoke: `${APP}/functions/:function_api_name/invoke`,
  execute: `${APP}/flows/:flow_id/execute`,
  execution: `${APP}/flows/executions/:execution_id`,
} as const;

/** aPaaS endpoints. */
export const APAAS_ENDPOINTS = [
  {
    name: "apaas_table_list",
    family: "open_api",
    method: "GET",
    path: APAAS_PATHS.tables,
    title: "获取工作空间下的数据表列表",
  },
  {
    name: "apaas_table_get",
    family: "open_api",
    method: "GET",
    path: APAAS_PATHS.table,
    title: "获取数据表详细信息",
  },
  {
    name: "apaas_records_get",
    family: "open_api",
    method: "GET",
    path: APAAS_PATHS.records,
    title: "查询数据表数据记录",
  },
  {
    name: "apaas_records_post",
    family: "open_api",
    method: "POST",
    path: APAAS_PATHS.records,
    title: "向数据表中添加或更新记录",
  },
  {
    name: "apaas_records_patch",
    family: "open_api",
    method: "PATCH",
    path: APAAS_PATHS.records,
    title: "按条件更新数据表中的记录",
  },
  {
    name: "apaas_records_delete",
    family: "open_api",
    method: "DELETE",
    path: APAAS_PATHS.records,
    title: "删除数据表中的记录",
  },
  {
    name: "apaas_records_batch_update",
    family: "open_api",
    method: "PATCH",
    path: APAAS_PATHS.batchUpdate,
    title: "批量更新数据表中的记录",
  },
  {
    name: "apaas_function_invoke",
    family: "open_api",
    method: "POST",
    path: APAAS_PATHS.invoke,
    title: "执行函数",
  },
  {
    name: "apaas_flow_execute",
    family: "open_api",
    method: "POST",
    path: APAAS_PATHS.execute,
    title: "发起流程",
  },
  {
    name: "apaas_flow_execution",
    family: "open_api",
    method: "GET",
    path: APAAS_PATHS.execution,
    title: "查询流程执行（未经官方确认）",
  },
] as const satisfies readonly EndpointSpec[];

const TEN_PER_SECOND = { perSecond: 10 };

/** Documented limits: workspace tables 10/s each; flow execute 100/min. */
export const APAAS_RATE_LIMITS: Readonly<RateLimitTable> = {
  apaas_table_list: TEN_PER_SECOND,
  apaas_table_get: TEN_PER_SECOND,
  apaas_records_get: TEN_PER_SECOND,
  apaas_records_post: TEN_PER_SECOND,
  apaas_records_patch: TEN_PER_SECOND,
  apaas_records_delete: TEN_PER_SECOND,
  apaas_records_batch_update: TEN_PER_SECOND,
  apaas_flow_execute: { perMinute: 100 },
};
