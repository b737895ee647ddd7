/**
 * Feishu docx v1 documents: create a document, append blocks (builders for
 * text, headings 1–9, bullet/ordered lists, code, image, table), read the
 * block tree (paged, async iterator) and the raw text, update blocks. Rate
 * buckets: {@linkcode DOCX_BUCKETS} plus a 3/s bucket per document.
 *
 * @example
 * ```ts
 * import { codeBlock, DOCX_BUCKETS, DocxApi, headingBlock, listBlocks, textBlock } from "./mod.ts";
 * import { LarkHttp } from "../http/mod.ts";
 * import { RateLimiter } from "../rate_limit/mod.ts";
 *
 * const limiter = new RateLimiter({ buckets: { global: { perSecond: 50 }, ...DOCX_BUCKETS } });
 * const http = new LarkHttp({ baseUrl: "https://open.feishu.cn", limiter });
 * const docs = new DocxApi(http, { limiter });
 * const { documentId } = await docs.createDocument({ title: "周报" });
 * await docs.appendBlocks(documentId, [
 *   headingBlock(1, "进展"),
 *   textBlock(["完成了 ", { text: "导出", style: { bold: true } }]),
 *   ...listBlocks(["接口", "测试"]),
 *   codeBlock("deno task test", "bash"),
 * ]);
 * for await (const block of docs.blocks(documentId)) console.log(block.block_type);
 * ```
 *
 * @module
 */
export * from "./blocks.ts";
export * from "./docx_api.ts";
export * from "./docx_codes.ts";
