/**
 * Endpoints of the sandbox's meeting family.
 *
 * @module
 */
import type { EndpointInfo } from "../endpoints.ts";

/** Names of the meeting family's endpoints. */
export type MeetingEndpointName = never;

/** The meeting family's endpoints, in display order. */
export const MEETING_ENDPOINTS: readonly EndpointInfo[] = [];
