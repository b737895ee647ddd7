/**
 * IM Open API endpoints over the sandbox user's chats (internal route
 * module), so that an Open API collector can replace the browser:
 *
 * - `GET /open-apis/im/v1/messages?container_id_type=chat&container_id=&start_time=&end_time=
 *   &sort_type=&page_size=&page_token=` (feishu-api.md §3: times in seconds, page size
 *   1–50, default 20). Each export appears as a notice (`text` `{"text"}` or
 *   `interactive`) and a `file` message `{"file_key","file_name"}` replying to it
 *   (`parent_id` = `root_id` = the notice).
 * - `GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file` streams the xlsx.
 *
 * Auth: a user access token from the export options (default
 * `u-sandbox-export-user`) or one issued by the sandbox's OAuth endpoints
 * (meeting family; expired → 99991677). A tenant token of a sandbox app is
 * refused as "bot not in chat" unless `allowTenantToken` (the app's bot is not
 * a member of the user's p2p chat with 飞书合同).
 *
 * UNCONFIRMED on real Feishu (facts §3, §11): whether a user token may read
 * the user's p2p chat with another app's bot (`im:message.p2p_msg:get_as_user`),
 * how to find that chat id, and whether the resource endpoint accepts a user
 * token (docs: tenant token only; the official CLI uses a user token). Also,
 * resources inside card messages cannot be downloaded (234043), so a real
 * bot that attaches the file to a card would defeat this path.
 *
 * ASSUMPTIONS: 99992402 for invalid parameters; 230001 for an unknown chat;
 * 230002 / 234004 for "bot not in chat"; 234003 for a file key not in the
 * message; the degraded `interactive` content shape `{title, elements}`.
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
import type { SandboxState } from "../state.ts";
import { attachmentHeader, XLSX_MIME } from "../clm/_xlsx_file.ts";
import { IM_MESSAGES_PATH, IM_RESOURCE_PATH } from "../scenarios/export/endpoints.ts";
import type { ChatMessage } from "./chat_message.ts";
import { type ExportFamily, exportFamily } from "../scenarios/export/family.ts";
import { DOWNLOAD_LABEL } from "../clm/notice_text.ts";

type Handler = (c: SandboxContext, family: ExportFamily) => Response | Promise<Response>;

/** Register the IM endpoints (they pass unknown chats/messages on to later routes). */
export function registerImRoutes(app: SandboxApp, state: SandboxState): void {
  app.get(IM_MESSAGES_PATH, (c, next) => {
    const chatId = c.req.query("container_id");
    return owned(c, next, state, "export_im_messages", (f) => !chatId || !!f.chat(chatId), listMessages);
  });
  app.get(IM_RESOURCE_PATH, (c, next) => {
    const id = c.req.param("message_id");
    return owned(c, next, state, "export_im_resource", (f) => !!f.message(id), resource);
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
      const [code, msg] = name === "export_im_messages"
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

  /** Bearer check: user token, else tenant token (if allowed); the refusing Response otherwise. */
  function imAuth(
    c: SandboxContext,
    family: ExportFamily,
    notInChat: [number, string],
  ): Response | undefined {
    const match = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "");
    if (!match) return openApiError(c, state.clock, 400, 99991661, MSG_MISSING_TOKEN);
    const token = match[1];
    if (family.isUserToken(token)) return enforceRateLimit(c, state, "user");
    const oauth = oauthUserToken(state, token);
    if (oauth === "ok") return enforceRateLimit(c, state, "user");
    if (oauth === "expired") {
      return openApiError(c, state.clock, 400, 99991677, "Authentication token expired.");
    }
    const tenant = state.tokens.check(token, "tenant");
    if (tenant.ok) {
      if (!family.options.allowTenantToken) return openApiError(c, state.clock, 400, ...notInChat);
      return enforceRateLimit(c, state, tenant.record.appId);
    }
    const userShaped = token.startsWith("eyJ") || token.startsWith("u-");
    return openApiError(c, state.clock, 400, userShaped ? 99991668 : 99991663, MSG_INVALID_TOKEN);
  }

  function listMessages(c: SandboxContext, family: ExportFamily): Response {
    const q = (k: string) => c.req.query(k);
    const invalid = (field: string, description: string) =>
      openApiError(c, state.clock, 400, 99992402, "field validation failed", [{ field, description }]);
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
      return openApiError(c, state.clock, 400, 99992402, "field validation failed", [
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
    return new Response(bytes, {
      status: 200,
      headers: {
        "content-type": XLSX_MIME,
        "content-length": String(bytes.byteLength),
        "content-disposition": attachmentHeader(task.fileName),
        "x-tt-logid": newLogId(state.clock),
      },
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
