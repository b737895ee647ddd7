import type { AuthProvider } from "../auth/auth_provider.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import { paginate } from "../http/paginate.ts";
import type { RateLimiter } from "../rate_limit/rate_limiter.ts";
import { optionalText, requireArray, requireInt, requireToken } from "../validate/checks.ts";
import { ParamError } from "../errors/param_error.ts";
import { checkBlocks, type DocxBlock, type Inline, textElements } from "./blocks.ts";
import "./docx_codes.ts";

/**
 * Rate buckets of docx v1 (documented: app 3/s for create / children / patch,
 * 5/s for raw content, and 3 edits/s per document → HTTP 429).
 */
export const DOCX_BUCKETS = {
  docx_create: { perSecond: 3 },
  docx_write: { perSecond: 3 },
  docx_read: { perSecond: 5 },
  docx_raw: { perSecond: 5 },
} as const;

/** Per-document edit budget (3 edits/s). */
export const DOCX_DOC_EDITS_PER_SECOND = 3;
/** Most children per "create children" call. */
export const MAX_CHILDREN_PER_CALL = 50;
/** Most requests per batch update call (UNCONFIRMED bound: sandbox/UNCONFIRMED.md). */
export const MAX_BATCH_UPDATE = 200;

/** Options of {@linkcode DocxApi}. */
export interface DocxApiOptions {
  /** The limiter the client uses: per-document buckets `docx_doc:<id>` (3/s) are defined in it lazily. */
  limiter?: RateLimiter;
}

/** Options of one call. */
export interface DocxCallOptions {
  /** Credentials (tenant or user token); default the client's. */
  auth?: AuthProvider;
  /** Cancel. */
  signal?: AbortSignal;
}

/** A created document. */
export interface DocxDocument {
  /** Document id (also the id of its root page block). */
  documentId: string;
  /** Revision. */
  revisionId: number;
  /** Title. */
  title: string;
}

/** An update of one block (one operation, as `PATCH …/blocks/:block_id` takes). */
export type BlockUpdate =
  | { updateText: Inline | readonly Inline[] }
  | { replaceImage: string }
  | { raw: Record<string, unknown> };

/** Result of an edit. */
export interface DocxEditResult {
  /** Blocks created or updated. */
  blocks: DocxBlock[];
  /** Revision after the edit. */
  revisionId: number;
}

/**
 * Feishu docx v1 documents: create, read the block tree (paged, as an async
 * iterator) and the raw text, append blocks (chunked by 50), update blocks.
 * Input is checked before any request (`ParamError` names the field); calls
 * take the documented rate buckets and each edit also the document's own
 * 3/s bucket; 1770002 (deleted or unknown) is a `NotFoundError`.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import type { RateLimiter } from "../rate_limit/rate_limiter.ts";
 * import { headingBlock, textBlock } from "./blocks.ts";
 *
 * declare const http: LarkHttp;
 * declare const limiter: RateLimiter;
 * const docs = new DocxApi(http, { limiter });
 * const doc = await docs.createDocument({ title: "周报" });
 * await docs.appendBlocks(doc.documentId, [headingBlock(1, "本周进展"), textBlock("一切顺利")]);
 * console.log(await docs.rawContent(doc.documentId));
 * ```
 */
export class DocxApi {
  #http: LarkHttp;
  #limiter?: RateLimiter;

  /** Use `http` (tokens, retries, limiter, typed errors). */
  constructor(http: LarkHttp, o: DocxApiOptions = {}) {
    this.#http = http;
    this.#limiter = o.limiter;
  }

  /** `POST /open-apis/docx/v1/documents`: a new document (title ≤ 800 chars; folder default: the caller's root). */
  async createDocument(
    input: { title?: string; folderToken?: string } = {},
    o: DocxCallOptions = {},
  ): Promise<DocxDocument> {
    const title = optionalText("title", input.title, 800);
    const folder = input.folderToken === undefined
      ? undefined
      : requireToken("folderToken", input.folderToken);
    const { data } = await this.#http.request<{ document?: Record<string, unknown> }>({
      method: "POST",
      path: "/open-apis/docx/v1/documents",
      body: { title, folder_token: folder },
      auth: o.auth,
      bucket: "docx_create",
      step: "docx_create",
      signal: o.signal,
    });
    const d = data?.document ?? {};
    return {
      documentId: String(d.document_id ?? ""),
      revisionId: Number(d.revision_id ?? 0),
      title: String(d.title ?? ""),
    };
  }

  /** Every block of the document, in order (`GET …/blocks`, paged transparently; page size 1–500). */
  blocks(documentId: string, o: DocxCallOptions & { pageSize?: number } = {}): AsyncGenerator<DocxBlock> {
    requireToken("documentId", documentId);
    const pageSize = requireInt("pageSize", o.pageSize ?? 500, 1, 500);
    return paginate<DocxBlock>(this.#http, {
      path: `/open-apis/docx/v1/documents/${documentId}/blocks`,
      query: { document_revision_id: -1 },
      auth: o.auth,
      bucket: "docx_read",
      step: "docx_blocks",
      signal: o.signal,
      ids: { document_id: documentId },
    }, { pageSize });
  }

  /** The document's plain text (`GET …/raw_content`). */
  async rawContent(documentId: string, o: DocxCallOptions = {}): Promise<string> {
    requireToken("documentId", documentId);
    const { data } = await this.#http.request<{ content?: string }>({
      path: `/open-apis/docx/v1/documents/${documentId}/raw_content`,
      query: { lang: 0 },
      auth: o.auth,
      bucket: "docx_raw",
      step: "docx_raw_content",
      signal: o.signal,
      ids: { document_id: documentId },
    });
    return data?.content ?? "";
  }

  /**
   * Append `blocks` under `parentBlockId` (default the page: the document
   * id), in calls of ≤ 50 children, each at the end (or from `index`).
   */
  async appendBlocks(
    documentId: string,
    blocks: readonly DocxBlock[],
    o: DocxCallOptions & { parentBlockId?: string; index?: number } = {},
  ): Promise<DocxEditResult> {
    requireToken("documentId", documentId);
    const parent = requireToken("parentBlockId", o.parentBlockId ?? documentId);
    requireArray("blocks", blocks, 1, 100_000);
    checkBlocks("blocks", blocks);
    let index = o.index === undefined ? undefined : requireInt("index", o.index, 0, 1_000_000);
    const out: DocxEditResult = { blocks: [], revisionId: 0 };
    for (let i = 0; i < blocks.length; i += MAX_CHILDREN_PER_CALL) {
      const chunk = blocks.slice(i, i + MAX_CHILDREN_PER_CALL);
      const { data } = await this.#http.request<{ children?: DocxBlock[]; document_revision_id?: number }>({
        method: "POST",
        path: `/open-apis/docx/v1/documents/${documentId}/blocks/${parent}/children`,
        query: { document_revision_id: -1, client_token: crypto.randomUUID() },
        body: { children: chunk, index },
        ...this.#edit(documentId, o),
        step: "docx_children_create",
      });
      out.blocks.push(...(data?.children ?? []));
      out.revisionId = Number(data?.document_revision_id ?? out.revisionId);
      if (index !== undefined) index += chunk.length;
    }
    return out;
  }

  /** Update one block (`PATCH …/blocks/:block_id`): replace its text, its image, or a raw operation. */
  async updateBlock(
    documentId: string,
    blockId: string,
    update: BlockUpdate,
    o: DocxCallOptions = {},
  ): Promise<DocxEditResult> {
    requireToken("documentId", documentId);
    requireToken("blockId", blockId);
    const { data } = await this.#http.request<{ block?: DocxBlock; document_revision_id?: number }>({
      method: "PATCH",
      path: `/open-apis/docx/v1/documents/${documentId}/blocks/${blockId}`,
      query: { document_revision_id: -1, client_token: crypto.randomUUID() },
      body: updateBody("update", update),
      ...this.#edit(documentId, o),
      step: "docx_block_patch",
    });
    return { blocks: data?.block ? [data.block] : [], revisionId: Number(data?.document_revision_id ?? 0) };
  }

  /** Update several blocks in one call (`PATCH …/blocks/batch_update`, ≤ 200 per call, chunked). */
  async batchUpdateBlocks(
    documentId: string,
    updates: readonly { blockId: string; update: BlockUpdate }[],
    o: DocxCallOptions = {},
  ): Promise<DocxEditResult> {
    requireToken("documentId", documentId);
    requireArray("updates", updates, 1, 100_000);
    const requests = updates.map((u, i) => ({
      block_id: requireToken(`updates[${i}].blockId`, u?.blockId),
      ...updateBody(`updates[${i}].update`, u.update),
    }));
    const out: DocxEditResult = { blocks: [], revisionId: 0 };
    for (let i = 0; i < requests.length; i += MAX_BATCH_UPDATE) {
      const { data } = await this.#http.request<{ blocks?: DocxBlock[]; document_revision_id?: number }>({
        method: "PATCH",
        path: `/open-apis/docx/v1/documents/${documentId}/blocks/batch_update`,
        query: { document_revision_id: -1, client_token: crypto.randomUUID() },
        body: { requests: requests.slice(i, i + MAX_BATCH_UPDATE) },
        ...this.#edit(documentId, o),
        step: "docx_blocks_batch_update",
      });
      out.blocks.push(...(data?.blocks ?? []));
      out.revisionId = Number(data?.document_revision_id ?? out.revisionId);
    }
    return out;
  }

  /** Request fields of an edit: the app's write bucket plus the document's own 3/s bucket. */
  #edit(documentId: string, o: DocxCallOptions) {
    const docBucket = `docx_doc:${documentId}`;
    if (this.#limiter && !this.#limiter.has(docBucket)) {
      this.#limiter.define(docBucket, { perSecond: DOCX_DOC_EDITS_PER_SECOND });
    }
    return {
      auth: o.auth,
      bucket: "docx_write",
      extraBuckets: [docBucket],
      signal: o.signal,
      ids: { document_id: documentId },
    };
  }
}

function updateBody(field: string, u: BlockUpdate): Record<string, unknown> {
  if (u && "updateText" in u) {
    const content = Array.isArray(u.updateText) ? u.updateText : [u.updateText as Inline];
    return { update_text_elements: { elements: textElements(`${field}.updateText`, content) } };
  }
  if (u && "replaceImage" in u) {
    return { replace_image: { token: requireToken(`${field}.replaceImage`, u.replaceImage) } };
  }
  if (u && "raw" in u && u.raw && typeof u.raw === "object" && Object.keys(u.raw).length === 1) {
    return { ...u.raw };
  }
  throw new ParamError(field, "应为 {updateText} / {replaceImage} / {raw: {<一个操作>}} 之一");
}
