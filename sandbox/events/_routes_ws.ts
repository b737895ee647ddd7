/**
 * Long connection (the official Node SDK's ws-client (`@larksuiteoapi/node-sdk`)):
 * - `POST /callback/ws/endpoint` `{AppID, AppSecret}` →
 *   `{code:0, msg:"ok", data:{URL, ClientConfig}}`; `URL` is
 *   `ws://<sandbox host>/ws/v2?fpid=…&aid=…&device_id=…&access_key=…&service_id=…&ticket=…`
 *   (`fpid` first: the official SDK reads `device_id`/`service_id` by parsing
 *   the whole URL as a query string, so the first key is never usable).
 *   Missing credentials → 1000040344; unknown app or wrong secret → 514
 *   "auth failed"; 50 connections already → 1000040350. All HTTP 200 with
 *   `data: {}` (ASSUMPTION: the SDK destructures `data` before checking `code`).
 * - `GET /ws/v2?…&ticket=` upgrades to a WebSocket speaking pbbp2 frames
 *   (see `ws_hub.ts`). An unknown/used/expired ticket → HTTP 403 with
 *   `handshake-status`, `handshake-msg`, `handshake-autherrcode` headers
 *   (header names per the official Node SDK; values are an ASSUMPTION).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { sendJson } from "../_respond.ts";
import { WS_CONNECT_PATH, WS_ENDPOINT_PATH } from "./endpoints.ts";
import { randomHex } from "./event_crypto.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import { WS_MAX_CONNECTIONS } from "./ws_hub.ts";

/** Register the long-connection endpoints. */
export function registerWsRoutes(app: SandboxApp, family: MeetingFamily): void {
  const state = family.state;
  app.post(WS_ENDPOINT_PATH, endpoint(state, "ws_endpoint"), (c) => discover(c, family));
  app.get(WS_CONNECT_PATH, endpoint(state, "ws_connect"), (c) => connect(c, family));
}

async function discover(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const clock = family.state.clock;
  const refuse = (code: number, msg: string) => sendJson(c, clock, { code, msg, data: {} });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(await c.req.text()) ?? {};
  } catch {
    body = {};
  }
  const appId = typeof body.AppID === "string" ? body.AppID : "";
  const secret = typeof body.AppSecret === "string" ? body.AppSecret : "";
  if (!appId || !secret) return refuse(1000040344, "no credential");
  const app = family.state.app(appId);
  if (!app || app.appSecret !== secret) return refuse(514, "auth failed");
  const entry = c.get("entry");
  if (entry) entry.appId = appId;
  const limited = enforceRateLimit(c, family.state, appId);
  if (limited) return limited;
  if (family.hub.openCount(appId) >= WS_MAX_CONNECTIONS) return refuse(1000040350, "exceed conn limit");

  const t = family.hub.issueTicket(appId);
  const url = new URL(WS_CONNECT_PATH, c.req.url);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = new URLSearchParams({
    fpid: "493",
    aid: "552564",
    device_id: t.deviceId,
    access_key: randomHex(32),
    service_id: String(t.serviceId),
    ticket: t.ticket,
  }).toString();
  return sendJson(c, clock, {
    code: 0,
    msg: "ok",
    data: { URL: url.toString(), ClientConfig: family.hub.clientConfig },
  });
}

function connect(c: SandboxContext, family: MeetingFamily): Response {
  const ticket = family.hub.takeTicket(c.req.query("ticket") ?? "");
  if (!ticket) {
    return new Response("forbidden", {
      status: 403,
      headers: {
        "content-type": "text/plain",
        "handshake-status": "403",
        "handshake-msg": "invalid ticket",
        "handshake-autherrcode": "514",
      },
    });
  }
  const entry = c.get("entry");
  if (entry) entry.appId = ticket.appId;
  if ((c.req.header("upgrade") ?? "").toLowerCase() !== "websocket") {
    return new Response("需要 WebSocket 升级请求", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  const { socket, response } = Deno.upgradeWebSocket(c.req.raw);
  family.hub.attach(socket, ticket);
  return response;
}
