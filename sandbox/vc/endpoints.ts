/**
 * Endpoints of the VC family.
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Path of the meeting recording endpoint. */
export const RECORDING_PATH = "/open-apis/vc/v1/meetings/:meeting_id/recording";

/** VC endpoints. */
export const VC_ENDPOINTS = [
  {
    name: "vc_recording",
    family: "open_api",
    method: "GET",
    path: RECORDING_PATH,
    title: "获取会议录制信息",
  },
] as const satisfies readonly EndpointSpec[];
