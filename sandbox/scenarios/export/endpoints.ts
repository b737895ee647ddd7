/**
 * The endpoints the export workflow talks to (each declared once, in its API
 * family's `endpoints.ts`; re-exported here for the export scenario): the CLM
 * export and record list, the IM read endpoints and the messenger pages.
 *
 * @module
 */
import { CLM_ENDPOINTS } from "../../clm/endpoints.ts";
import { CLM_PATHS } from "../../clm/shapes.ts";
import type { EndpointInfo } from "../../endpoints.ts";
import { IM_READ_ENDPOINTS } from "../../im/endpoints.ts";
import { MESSENGER_ENDPOINTS } from "../../messenger/endpoints.ts";

export { IM_MESSAGES_PATH, IM_RESOURCE_PATH } from "../../im/endpoints.ts";
export { MESSENGER_ROOT } from "../../messenger/endpoints.ts";

/** Path of the CLM export endpoint. */
export const COOPERATION_EXPORT_PATH = CLM_PATHS.exportRecords;
/** Path of the CLM record list endpoint (UNCONFIRMED path; the pipeline replays the browser's own). */
export const COOPERATION_SEARCH_PATH = CLM_PATHS.searchRecords;

/** The export workflow's endpoints, in display order. */
export const EXPORT_ENDPOINTS: readonly EndpointInfo[] = [
  ...CLM_ENDPOINTS.filter((e) => e.name === "cooperation_export" || e.name === "cooperation_search"),
  ...IM_READ_ENDPOINTS,
  ...MESSENGER_ENDPOINTS,
];
