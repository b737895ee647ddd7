/**
 * The endpoints the sandbox answers, by name: the union of each API family's
 * `endpoints.ts` (one place per endpoint). Names are what the journal, the
 * rate limits and the fault knobs are keyed by.
 *
 * @module
 */
import type { EndpointFamily, EndpointSpec } from "./_endpoint_spec.ts";
import { APP_TOKEN_ENDPOINTS, OAUTH_ENDPOINTS } from "./auth/endpoints.ts";
import { CLM_ENDPOINTS } from "./clm/endpoints.ts";
import { CONTACT_ENDPOINTS } from "./contact/endpoints.ts";
import { CONTRACT_ENDPOINTS } from "./contract/endpoints.ts";
import { EVENT_ENDPOINTS } from "./events/endpoints.ts";
import { IM_READ_ENDPOINTS, IM_SEND_ENDPOINTS } from "./im/endpoints.ts";
import { MESSENGER_ENDPOINTS } from "./messenger/endpoints.ts";
import { MINUTES_ENDPOINTS } from "./minutes/endpoints.ts";
import { VC_ENDPOINTS } from "./vc/endpoints.ts";

export type { EndpointFamily };

const ALL = [
  ...APP_TOKEN_ENDPOINTS,
  ...CONTRACT_ENDPOINTS,
  ...CLM_ENDPOINTS,
  ...IM_READ_ENDPOINTS,
  ...MESSENGER_ENDPOINTS,
  ...EVENT_ENDPOINTS,
  ...VC_ENDPOINTS,
  ...MINUTES_ENDPOINTS,
  ...OAUTH_ENDPOINTS,
  ...IM_SEND_ENDPOINTS,
  ...CONTACT_ENDPOINTS,
] as const;

/** Name of an endpoint the sandbox serves. */
export type EndpointName = (typeof ALL)[number]["name"];

/** Static description of one endpoint. */
export interface EndpointInfo extends EndpointSpec {
  /** Name used by the journal, rate limits and faults. */
  readonly name: EndpointName;
}

/** Every endpoint served, in display order. */
export const ENDPOINTS: readonly EndpointInfo[] = ALL;

/** Look up an endpoint by name. */
export function endpointInfo(name: string): EndpointInfo | undefined {
  return ENDPOINTS.find((e) => e.name === name);
}

/** `true` when `name` is a served endpoint name. */
export function isEndpointName(name: string): name is EndpointName {
  return endpointInfo(name) !== undefined;
}
