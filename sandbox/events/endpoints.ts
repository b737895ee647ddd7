/**
 * Endpoints of the events family (long connection).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Path of the long-connection endpoint discovery. */
export const WS_ENDPOINT_PATH = "/callback/ws/endpoint";
/** Path of the sandbox's WebSocket (the real one lives on a `msg-frontier` host). */
export const WS_CONNECT_PATH = "/ws/v2";

/** Long connection. */
export const EVENT_ENDPOINTS = [
  {
    name: "ws_endpoint",
    family: "token",
    method: "POST",
    path: WS_ENDPOINT_PATH,
    title: "长连接：获取 WebSocket 接入点",
  },
  {
    name: "ws_connect",
    family: "open_api",
    method: "GET",
    path: WS_CONNECT_PATH,
    title: "长连接：WebSocket（pbbp2 帧）",
  },
] as const satisfies readonly EndpointSpec[];
