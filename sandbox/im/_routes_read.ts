/**
 * IM Open API endpoints over the sandbox user's chats (internal route
 * module), so that an Open API collector can replace the browser:
 *
 * - `GET /open-apis/im/v1/messages?container_id_type=chat&container_id=&start_time=&end_time=
 *   &sort_type=&page_size=&page_token=` (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create: times in seconds, page size
 *   1–50, default 20). Each export appears as a notice (`text` `{"text"}` or
 *   `interactive`) and a `file` message `{"file_key","file_name"}` replying to it
 *   (`parent_id` = `root_id` = the notice).
 * - `GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file` streams the xlsx.
 *
 * Auth, as documented (open.feishu.cn/document/server-docs/im-v1/message/list
 * and .../im-v1/message-resource/get): `tenant_access_token` only, and the
 * app's bot must be in the chat — 230002 (list) / 234004 (resource)
 * otherwise. By default the sandbox app's bot is NOT in the user's p2p chat
 * with 飞书合同 (`export.appBotInChats` puts it there). A user token is
 * answered 99991668 "user access token not support".
 *
 * UNCONFIRMED (sandbox/UNCONFIRMED.md), behind `export.imUserTokenReads`
 * (`deno task sandbox --im-user-token`): both endpoints accept a user access
 * token from the export options (default `u-sandbox-export-user`) or one
 * issued by the sandbox's OAuth endpoints (expired → 99991677), the way the
 * official CLI calls them. The resource endpoint honours `Range` (206 /
 * 416; also UNCONFIRMED on Feishu). Resources inside card messages cannot
 * be downloaded (234043), so a real bot that attaches the file to a card
 * would defeat this path.
 *
 * Parameter errors: 230001 (invalid parameter / unknown chat), 234001
 * (invalid resource request), 234003 (file key not in the message), as the
 * two pages list them. ASSUMPTION: the degraded `interactive` content shape
 * `{title, elements}`.
 * Requests for chats and messages this family does not know fall through
 * to later routes (another family may own them).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { MSG_INVALID_TOKEN, MSG_MISSING_TOKEN, newLogId, openApiError, sendJson } from "../_respond.ts";
import type { EndpointName } from "../endpoints.ts";
import { rangedResponse } from "../_range.ts";
import { MSG_USER_TOKEN_EXPIRED, MSG_USER_TOKEN_NOT_SUPPORTED } from "../auth/_bearer.ts";
import type { SandboxState } from "../state.ts";
import { attachmentHeader, XLSX_MIME } from "../clm/_xlsx_file.ts";
import { IM_MESSAGES_PATH, IM_RESOURCE_PATH } from "./endpoints.ts";
import type { ChatMessage } from "./chat_message.ts";
import { type ExportFamily, exportFamily } from "../scenarios/export/family.ts";
import { DOWNLOAD_LABEL } from "../clm/notice_text.ts";

type Handler = (c: SandboxContext, family: ExportFamily) => Response | Promise<Response>;

/** Register the IM endpoints (they pass unknown chats/messages on to later routes). */
export function registerImReadRoutes(app: SandboxApp, state: SandboxState): void {
  app.get(IM_MESSAGES_PATH, (c, next) => {
    const chatId = c.req.query("container_id");
    return owned(c, next, state, "im_message_list", (f) => !chatId || !!f.chat(chatId), listMessages);
  });
  app.get(IM_RESOURCE_PATH, (c, next) => {
    const id = c.req.param("message_id");
    return owned(c, next, state, "im_message_resource", (f) => !!f.message(id), resource);
  });

  async function owned(
    c: SandboxContext,
    next: () => Promise<void>,
    state: SandboxState,
    name: EndpointName,
    mine: (f: ExportFamily) => boolean,
    handler: Handler,
  ): Promise<Response | void> {
    let family: ExportFamily | undefined;
    try {
      family = exportFamily(state);
    } catch {
      family = undefined;
    }
    if (!family || !mine(family)) {
      await next();
      if (c.res.status !== 404) return;
      // Nobody else knew it either: answer in Feishu's shape (assigning c.res replaces the 404).
      const [code, msg] = name === "im_message_list"
        ? [230001, "invalid container_id"] as const
        : [234003, "File not in msg."] as const;
      c.res = openApiError(c, state.clock, 400, code, msg);
      return c.res;
    }
    let out: Response | undefined;
    const refused = await endpoint(state, name)(c, async () => {
      out = await handler(c, family);
    });
    return refused ?? out;
  }

  /**
   * Bearer check: a tenant token whose bot is in the chat; a user token only
   * with the UNCONFIRMED `imUserTokenReads` flag. The refusing Response otherwise.
   */
  function imAuth(
    c: SandboxContext,
    family: ExportFamily,
    notInChat: [number, string],
  ): Response | undefined {
    const match = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "");
    if (!match) return openApiError(c, state.clock, 400, 99991661, MSG_MISSING_TOKEN);
    const token = match[1];
    const tenant = state.tokens.check(token, "tenant");
    if (tenant.ok) {
      const entry = c.get("entry");
      if (entry) entry.appId = tenant.record.appId;
      if (!family.options.appBotInChats) return openApiError(c, state.clock, 400, ...notInChat);
      return enforceRateLimit(c, state, tenant.record.appId);
    }
    const userShaped = token.startsWith("eyJ") || token.startsWith("u-");
    if (!userShaped) return openApiError(c, state.clock, 400, 99991663, MSG_INVALID_TOKEN);
    const known = family.isUserToken(token) ? "ok" : oauthUserToken(state, token);
    if (known === "expired") return openApiError(c, state.clock, 400, 99991677, MSG_USER_TOKEN_EXPIRED);
    if (known !== "ok") return openApiError(c, state.clock, 400, 99991668, MSG_INVALID_TOKEN);
    if (!family.options.imUserTokenReads) {
      return openApiError(c, state.clock, 400, 99991668, MSG_USER_TOKEN_NOT_SUPPORTED);
    }
    return enforceRateLimit(c, state, "user");
  }

  function listMessages(c: SandboxContext, family: ExportFamily): Response {
    const q = (k: string) => c.req.query(k);
    const invalid = (field: string, description: string) =>
      openApiError(c, state.clock, 400, 230001, "The request you send is not a valid param.", [
        { field, description },
      ]);
    if (q("container_id_type") !== "chat") return invalid("container_id_type", "only chat is supported here");
    if (!q("container_id")) return invalid("container_id", "container_id is required");
    const refused = imAuth(c, family, [230002, "Bot/User can NOT be out of the chat."]);
    if (refused) return refused;
    const seconds = (k: string) => {
      const v = q(k);
      return v === undefined || v === "" ? undefined : /^\d{1,12}$/.test(v) ? Number(v) : NaN;
    };
    const start = seconds("start_time");
    const end = seconds("end_time");
    if (Number.isNaN(start)) return invalid("start_time", "must be a unix timestamp in seconds");
    if (Number.isNaN(end)) return invalid("end_time", "must be a unix timestamp in seconds");
    const sort = q("sort_type") ?? "ByCreateTimeAsc";
    if (sort !== "ByCreateTimeAsc" && sort !== "ByCreateTimeDesc") return invalid("sort_type", "invalid");
    const pageSize = q("page_size") === undefined ? 20 : Number(q("page_size"));
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) return invalid("page_size", "1-50");
    let offset = 0;
    const pageToken = q("page_token");
    if (pageToken) {
      const m = /^p(\d+)$/.exec(safeAtob(pageToken));
      if (!m) return invalid("page_token", "invalid page_token");
      offset = Number(m[1]);
    }
    let items = family.messages(q("container_id")!).filter((m) =>
      (start === undefined || m.createTime >= start * 1000) &&
      (end === undefined || m.createTime < (end + 1) * 1000)
    );
    if (sort === "ByCreateTimeDesc") items = items.reverse();
    const page = items.slice(offset, offset + pageSize);
    const hasMore = offset + pageSize < items.length;
    const data: Record<string, unknown> = { has_more: hasMore, items: page.map((m) => wire(m, family)) };
    if (hasMore) data.page_token = btoa(`p${offset + pageSize}`);
    return sendJson(c, state.clock, { code: 0, msg: "success", data });
  }

  function resource(c: SandboxContext, family: ExportFamily): Response {
    const type = c.req.query("type");
    if (type !== "file" && type !== "image") {
      return openApiError(c, state.clock, 400, 234001, "Invalid request param.", [
        { field: "type", description: "type must be file or image" },
      ]);
    }
    const refused = imAuth(c, family, [234004, "App not in chat."]);
    if (refused) return refused;
    const message = family.message(c.req.param("message_id") ?? "")!;
    if (message.msgType === "interactive") {
      return openApiError(c, state.clock, 400, 234043, "Unsupported message type: card.");
    }
    const task = message.task;
    if (message.msgType !== "file" || !task || task.fileKey !== c.req.param("file_key") || type !== "file") {
      return openApiError(c, state.clock, 400, 234003, "File not in msg.");
    }
    const bytes = family.fileOf(task);
    return rangedResponse(bytes, c.req.header("range"), {
      "content-type": XLSX_MIME,
      "content-disposition": attachmentHeader(task.fileName),
      "x-tt-logid": newLogId(state.clock),
    });
  }
}

/** The IM wire shape of a message. */
function wire(m: ChatMessage, family: ExportFamily): Record<string, unknown> {
  const sender = m.fromBot
    ? { id: family.botAppId, id_type: "app_id", sender_type: "app", tenant_key: family.tenantKey }
    : {
      id: `ou_${m.chatId.slice(3, 35)}`,
      id_type: "open_id",
      sender_type: "user",
      tenant_key: family.tenantKey,
    };
  let content: unknown;
  if (m.msgType === "file") content = { file_key: m.task!.fileKey, file_name: m.task!.fileName };
  else if (m.msgType === "interactive") {
    content = {
      title: "协同操作记录导出",
      elements: [[{ tag: "text", text: m.text }], [{ tag: "button", text: DOWNLOAD_LABEL }]],
    };
  } else content = { text: m.text };
  const out: Record<string, unknown> = {
    message_id: m.messageId,
    msg_type: m.msgType,
    create_time: String(m.createTime),
    update_time: String(m.createTime),
    deleted: false,
    updated: false,
    chat_id: m.chatId,
    sender,
    body: { content: JSON.stringify(content) },
  };
  if (m.parentId) {
    out.root_id = m.parentId;
    out.parent_id = m.parentId;
  }
  return out;
}

function safeAtob(s: string): string {
  try {
    return atob(s);
  } catch {
    return "";
  }
}

/**
 * A user token issued by the sandbox's OAuth endpoints (the meeting family's
 * store, looked up by shape so neither family imports the other): `"ok"`,
 * `"expired"`, or `undefined` when unknown there (or no such family).
 */
function oauthUserToken(state: SandboxState, token: string): "ok" | "expired" | undefined {
  type Store = { checkAccess?: (v: string) => { ok: boolean; reason?: string } };
  const store = (state.families.get("meeting") as { userTokens?: Store } | undefined)?.userTokens;
  if (typeof store?.checkAccess !== "function") return undefined;
  const checked = store.checkAccess(token);
  if (checked.ok) return "ok";
  return checked.reason === "expired" ? "expired" : undefined;
}
