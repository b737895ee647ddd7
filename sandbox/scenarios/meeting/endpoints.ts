/**
 * The endpoints the meeting archiver talks to (each declared once, in its API
 * family's `endpoints.ts`; re-exported here for the meeting scenario).
 *
 * @module
 */
import { OAUTH_ENDPOINTS } from "../../auth/endpoints.ts";
import { CONTACT_ENDPOINTS } from "../../contact/endpoints.ts";
import type { EndpointInfo } from "../../endpoints.ts";
import { EVENT_ENDPOINTS } from "../../events/endpoints.ts";
import { IM_SEND_ENDPOINTS } from "../../im/endpoints.ts";
import { MINUTES_ENDPOINTS } from "../../minutes/endpoints.ts";
import { VC_ENDPOINTS } from "../../vc/endpoints.ts";

export { AUTHORIZE_PATH, OAUTH_TOKEN_PATH, USER_INFO_PATH } from "../../auth/endpoints.ts";
export {
  CONTACT_CHILDREN_PATH,
  CONTACT_DEPARTMENT_PATH,
  CONTACT_FIND_BY_DEPARTMENT_PATH,
  CONTACT_USER_PATH,
  CONTACT_USERS_BATCH_PATH,
} from "../../contact/endpoints.ts";
export { WS_CONNECT_PATH, WS_ENDPOINT_PATH } from "../../events/endpoints.ts";
export { IM_MESSAGES_PATH } from "../../im/endpoints.ts";
export { MEDIA_DOWNLOAD_PATH, MINUTE_MEDIA_PATH, MINUTE_PATH } from "../../minutes/endpoints.ts";
export { RECORDING_PATH } from "../../vc/endpoints.ts";

/** The meeting archiver's endpoints, in display order. */
export const MEETING_ENDPOINTS: readonly EndpointInfo[] = [
  ...EVENT_ENDPOINTS,
  ...VC_ENDPOINTS,
  ...MINUTES_ENDPOINTS,
  ...OAUTH_ENDPOINTS,
  ...IM_SEND_ENDPOINTS,
  ...CONTACT_ENDPOINTS,
];
