/**
 * Endpoints of the sandbox's export family.
 *
 * @module
 */
import type { EndpointInfo } from "../endpoints.ts";

/** Names of the export family's endpoints. */
export type ExportEndpointName = never;

/** The export family's endpoints, in display order. */
export const EXPORT_ENDPOINTS: readonly EndpointInfo[] = [];
