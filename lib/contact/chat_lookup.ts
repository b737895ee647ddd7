import type { LarkHttp } from "../http/lark_http.ts";
import { ParamError } from "../errors/param_error.ts";
import type { ContactCallOptions, UserIdType } from "./contact_api.ts";
import { checkId } from "./_validate.ts";

/** Rate bucket of the chat endpoints (search, get): 1000/min & 50/s. */
export const CHAT_LOOKUP_BUCKETS = { im_chat: { perSecond: 50, perMinute: 1000 } } as const;

/** Longest `query` of chat search; longer (or empty) queries find nothing. */
export const CHAT_QUERY_MAX = 64;

/** A chat from search. */
export interface ChatSearchHit {
  /** `oc_…`. */
  chatId: string;
  /** Name. */
  name: string;
  /** Description. */
  description?: string;
  /** Owner id (of `ownerIdType`). */
  ownerId?: string;
  /** Kind of `ownerId`. */
  ownerIdType?: string;
  /** Chat with people outside the tenant. */
  external?: boolean;
  /** `normal`, `dissolved`, `dissolved_save`. */
  status?: string;
}

/** Details of one chat (non-members get only name, avatar, counts and status). */
export interface ChatDetails extends ChatSearchHit {
  /** `group`, `topic` or `p2p`. */
  mode?: string;
  /** `private` or `public`. */
  type?: string;
  /** Members (users). */
  userCount?: number;
  /** Bots in the chat. */
  botCount?: number;
}

/** Options of {@linkcode ChatLookup}. */
export interface ChatLookupOptions {
  /** `user_id_type` of owner ids (default `open_id`). */
  userIdType?: UserIdType;
}

/**
 * Chats by name and chat details (`im/v1/chats/search`, `im/v1/chats/:chat_id`;
 * open.feishu.cn/document/server-docs/group/chat/search). Search finds the chats
 * visible to the caller (member of, or public), matching names by prefix and pinyin.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * const chats = new ChatLookup(http);
 * const [rd] = await chats.findByName("研发部群");
 * const info = await chats.get(rd.chatId);
 * ```
 */
export class ChatLookup {
  #http: LarkHttp;
  #userIdType: UserIdType;

  /** Use `http` (tenant or user token). */
  constructor(http: LarkHttp, options: ChatLookupOptions = {}) {
    this.#http = http;
    this.#userIdType = options.userIdType ?? "open_id";
  }

  /** Every chat matching `query`, page by page (100 per call). */
  async *search(query: string, o: ContactCallOptions = {}): AsyncGenerator<ChatSearchHit> {
    if (typeof query !== "string" || query.trim() === "") throw new ParamError("query", "不能为空");
    if ([...query].length > CHAT_QUERY_MAX) {
      throw new ParamError("query", `最多 ${CHAT_QUERY_MAX} 个字符`);
    }
    let pageToken: string | undefined;
    for (;;) {
      const res = await this.#http.request<
        { items?: Record<string, unknown>[]; has_more?: boolean; page_token?: string }
      >({
        path: "/open-apis/im/v1/chats/search",
        query: { query, user_id_type: this.#userIdType, page_size: 100, page_token: pageToken },
        auth: o.auth,
        signal: o.signal,
        bucket: "im_chat",
        step: "im_chat_search",
      });
      for (const item of res.data?.items ?? []) yield summary(item, "");
      pageToken = res.data?.page_token;
      if (!res.data?.has_more || !pageToken) return;
    }
  }

  /** Chats whose name is exactly `name` (search, then exact match; usually one). */
  async findByName(name: string, o: ContactCallOptions = {}): Promise<ChatSearchHit[]> {
    const out: ChatSearchHit[] = [];
    for await (const c of this.search(name, o)) if (c.name === name) out.push(c);
    return out;
  }

  /** Details of `chatId`. */
  async get(chatId: string, o: ContactCallOptions = {}): Promise<ChatDetails> {
    checkId("chatId", chatId);
    if (!chatId.startsWith("oc_")) throw new ParamError("chatId", "群 ID 应以 oc_ 开头");
    const res = await this.#http.request<Record<string, unknown>>({
      path: `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}`,
      query: { user_id_type: this.#userIdType },
      auth: o.auth,
      signal: o.signal,
      bucket: "im_chat",
      step: "im_chat_get",
    });
    const d = res.data ?? {};
    return {
      ...summary(d, chatId),
      mode: str(d.chat_mode),
      type: str(d.chat_type),
      userCount: num(d.user_count),
      botCount: num(d.bot_count),
    };
  }
}

function summary(d: Record<string, unknown>, chatId: string): ChatSearchHit {
  return {
    chatId: str(d.chat_id) ?? chatId,
    name: str(d.name) ?? "",
    description: str(d.description),
    ownerId: str(d.owner_id),
    ownerIdType: str(d.owner_id_type),
    external: typeof d.external === "boolean" ? d.external : undefined,
    status: str(d.chat_status),
  };
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function num(v: unknown): number | undefined {
  const n = typeof v === "string" || typeof v === "number" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
