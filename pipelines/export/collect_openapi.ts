/**
 * {@linkcode OpenApiCollector}: the collect stage through the IM Open API
 * instead of a browser — list the chat with the 飞书合同 bot
 * (`GET /open-apis/im/v1/messages`, user access token), take the
 * "导出完成" notices and the file messages that go with them, and stream
 * each file (`GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file`)
 * into `<name>.part`, renamed once complete.
 *
 * A file message is matched to its notice by `parent_id` (a reply), else it
 * is the first file message after the notice; a notice that carries the
 * file itself (`file_key` in its content) is its own file message.
 *
 * UNCONFIRMED on real Feishu (https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/list): whether a
 * user access token may read the user's p2p chat with another app's bot
 * (scope `im:message.p2p_msg:get_as_user`), how to obtain that chat id, and
 * whether the resource endpoint accepts a user token (the docs say tenant
 * token only; the official CLI uses a user token). Resources inside card
 * messages cannot be downloaded at all (234043). The browser collector is
 * the path that is known to match what a person does.
 *
 * @module
 */
import type { AuthProvider } from "../../lib/auth/auth_provider.ts";
import { LarkError } from "../../lib/errors/mod.ts";
import type { LarkHttp } from "../../lib/http/mod.ts";
import { dispositionFileName } from "../../lib/http/content_disposition.ts";
import { promotePart, safeFileName } from "./_collect_files.ts";
import { NOTICE_PATTERN, toNotice } from "./_collect_notice.ts";
import { messageText } from "./_collect_im_text.ts";
import type { Collector, ExportNotice } from "./collector.ts";

/** Options of {@linkcode OpenApiCollector}. */
export interface OpenApiCollectorOptions {
  /** Client for the Open Platform (`https://open.feishu.cn` or the sandbox). */
  http: LarkHttp;
  /** A user-token {@linkcode AuthProvider} (e.g. `TokenManager.userAuth(appId, userId)`). */
  auth: AuthProvider;
  /** The chat with the 飞书合同 bot (`oc_…`). */
  chatId: string;
  /** Only messages from this sender id count (default: any sender). */
  senderId?: string;
  /** Page size of the message list, 1–50 (default 50). */
  pageSize?: number;
  /** What makes a message a notice (default `/导出完成/`). */
  noticePattern?: RegExp;
}

interface FileRef {
  messageId: string;
  fileKey: string;
  fileName?: string;
}

interface ImItem {
  message_id: string;
  msg_type: string;
  create_time: string;
  parent_id?: string;
  deleted?: boolean;
  sender?: { id?: string };
  body?: { content?: string };
}

/** A {@linkcode Collector} over the IM Open API with a user access token. */
export class OpenApiCollector implements Collector {
  readonly #o: OpenApiCollectorOptions;
  readonly #files = new Map<string, FileRef>();

  /** Create the collector (no request is made yet). */
  constructor(options: OpenApiCollectorOptions) {
    const pageSize = options.pageSize ?? 50;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) {
      throw new RangeError(`pageSize 必须是 1 到 50 之间的整数，实际为 ${pageSize}`);
    }
    this.#o = { ...options, pageSize };
  }

  /** Notices sent at or after `since` (epoch ms), oldest first. */
  async listNotices(since: number, signal?: AbortSignal): Promise<ExportNotice[]> {
    const items = await this.#list(since, signal);
    const notices: ExportNotice[] = [];
    let waiting: ExportNotice[] = []; // notices still without a file, oldest first
    for (const item of items) {
      if (item.deleted) continue;
      if (this.#o.senderId && item.sender?.id !== this.#o.senderId) continue;
      const content = parseContent(item.body?.content);
      if (item.msg_type === "file") {
        const fileKey = str(content.file_key);
        if (!fileKey) continue;
        const parent = item.parent_id ? waiting.find((n) => n.messageId === item.parent_id) : waiting[0];
        if (!parent) continue;
        this.#files.set(parent.messageId, {
          messageId: item.message_id,
          fileKey,
          fileName: str(content.file_name),
        });
        waiting = waiting.filter((n) => n !== parent);
        continue;
      }
      const text = messageText(item.msg_type, content);
      const pattern = this.#o.noticePattern ?? NOTICE_PATTERN;
      const notice = text === undefined
        ? undefined
        : toNotice(item.message_id, text, Number(item.create_time), pattern);
      if (!notice) continue;
      // Notices just before `since` still take part in pairing (their file must not go to the next one).
      if (notice.sentAt >= since) notices.push(notice);
      const own = str(content.file_key);
      if (own) {
        this.#files.set(notice.messageId, {
          messageId: item.message_id,
          fileKey: own,
          fileName: str(content.file_name),
        });
      } else if (!this.#files.has(notice.messageId)) waiting.push(notice);
    }
    return notices;
  }

  /** Stream the notice's file into `dir` (`.part`, then renamed). */
  async download(
    notice: ExportNotice,
    dir: string,
    signal?: AbortSignal,
  ): Promise<{ path: string; bytes: number }> {
    let ref = this.#files.get(notice.messageId);
    if (!ref) {
      await this.listNotices(Math.max(0, notice.sentAt - 1000), signal);
      ref = this.#files.get(notice.messageId);
    }
    if (!ref) {
      throw new LarkError(`no file message for ${notice.messageId}`, {
        retryable: true,
        hint: `没有找到这条导出消息对应的文件消息（${notice.text}）：文件可能还没送达，请稍后重试。`,
      });
    }
    const { response } = await this.#o.http.stream({
      path: `/open-apis/im/v1/messages/${encodeURIComponent(ref.messageId)}/resources/${
        encodeURIComponent(ref.fileKey)
      }`,
      query: { type: "file" },
      auth: this.#o.auth,
      bucket: "im_message_resource",
      step: "collect",
      ids: { message_id: ref.messageId },
      signal,
    });
    const name = safeFileName(
      dispositionFileName(response.headers.get("content-disposition")) ?? ref.fileName,
      `${notice.messageId}.xlsx`,
    );
    await Deno.mkdir(dir, { recursive: true });
    const final = `${dir}/${name}`;
    const file = await Deno.open(`${final}.part`, { write: true, create: true, truncate: true });
    try {
      await response.body!.pipeTo(file.writable, { signal });
    } catch (e) {
      await Deno.remove(`${final}.part`).catch(() => {});
      if (signal?.aborted) throw signal.reason;
      throw new LarkError(`download interrupted: ${(e as Error).message}`, {
        retryable: true,
        cause: e,
        hint: "下载文件时连接中断：已自动丢弃不完整的文件，请重试。",
      });
    }
    return await promotePart(`${final}.part`, final);
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Every message of the chat from `since` (seconds precision), oldest first. */
  async #list(since: number, signal?: AbortSignal): Promise<ImItem[]> {
    const out: ImItem[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.#o.http.request<{ has_more?: boolean; page_token?: string; items?: ImItem[] }>({
        path: "/open-apis/im/v1/messages",
        query: {
          container_id_type: "chat",
          container_id: this.#o.chatId,
          start_time: Math.floor(Math.max(0, since) / 1000),
          sort_type: "ByCreateTimeAsc",
          page_size: this.#o.pageSize,
          page_token: pageToken,
        },
        auth: this.#o.auth,
        bucket: "im_message_list",
        step: "collect",
        signal,
      });
      out.push(...(res.data.items ?? []));
      pageToken = res.data.has_more ? res.data.page_token : undefined;
    } while (pageToken);
    return out;
  }
}

function parseContent(raw: string | undefined): Record<string, unknown> {
  try {
    const v = JSON.parse(raw ?? "{}");
    return v && typeof v === "object" ? v as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
