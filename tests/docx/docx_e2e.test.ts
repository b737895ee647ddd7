/** The docx client end to end against the sandbox's docx v1 endpoints. */
import assert from "node:assert/strict";
import {
  BadRequestError,
  NotFoundError,
  ParamError,
  PermissionError,
  RateLimitError,
} from "../../lib/errors/mod.ts";
import {
  codeBlock,
  DOCX_BUCKETS,
  DocxApi,
  type DocxBlock,
  headingBlock,
  imageBlock,
  listBlocks,
  tableBlock,
  textBlock,
} from "../../lib/docx/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { docsFamily } from "../../sandbox/docx/family.ts";
import { withDocs } from "./_env.ts";

Deno.test("docx: create, append every block kind, read the tree (paged) and the raw text", async () => {
  await withDocs({ defaultRateLimits: false }, async ({ http, sandbox }) => {
    const docs = new DocxApi(http());
    const doc = await docs.createDocument({ title: "周报" });
    assert.match(doc.documentId, /^doxcn/);
    assert.equal(doc.title, "周报");
    const res = await docs.appendBlocks(doc.documentId, [
      headingBlock(1, "进展"),
      textBlock(["完成了 ", { text: "导出", style: { bold: true } }]),
      ...listBlocks(["接口", "测试"]),
      ...listBlocks(["一", "二"], true),
      codeBlock("deno task test", "bash"),
      imageBlock(),
      tableBlock(2, 2),
    ]);
    assert.equal(res.blocks.length, 9);
    assert.ok(res.revisionId > doc.revisionId);
    const table = res.blocks[8];
    assert.equal((table.children as string[]).length, 4, "a 2×2 table comes with 4 cells");
    // Fill the first cell (its first child is an empty text block).
    await docs.appendBlocks(doc.documentId, [textBlock("单元格")], { parentBlockId: table.children![0] });

    const all: DocxBlock[] = [];
    for await (const b of docs.blocks(doc.documentId, { pageSize: 3 })) all.push(b);
    assert.equal(all[0].block_type, 1, "the page block first");
    assert.equal(all.length, 1 + 9 + 4 * 2 + 1, "page, 9 blocks, 4 cells with their text, the new text");
    const pages = sandbox.journal.filter("docx_blocks_list").length;
    assert.equal(pages, Math.ceil(all.length / 3), "one call per page");

    const raw = await docs.rawContent(doc.documentId);
    assert.match(raw, /^周报\n进展\n完成了 导出\n接口\n测试\n一\n二\ndeno task test\n/);
    assert.match(raw, /单元格/);
  });
});

Deno.test("docx: more than 50 children go in chunks, keeping order and index", async () => {
  await withDocs({}, async ({ http, sandbox }) => {
    const docs = new DocxApi(http());
    const { documentId } = await docs.createDocument({ title: "长文" });
    const blocks = Array.from({ length: 120 }, (_, i) => textBlock(`第 ${i} 段`));
    const res = await docs.appendBlocks(documentId, blocks);
    assert.equal(res.blocks.length, 120);
    assert.equal(sandbox.journal.filter("docx_block_children_create").length, 3);
    await docs.appendBlocks(documentId, [headingBlock(2, "插入")], { index: 0 });
    const raw = await docs.rawContent(documentId);
    assert.match(raw, /^长文\n插入\n第 0 段\n第 1 段\n/);
    assert.match(raw, /第 119 段\n$/);
  });
});

Deno.test("docx: update a block's text, batch update, and documented refusals", async () => {
  await withDocs({}, async ({ http }) => {
    const docs = new DocxApi(http());
    const { documentId } = await docs.createDocument({ title: "改" });
    const { blocks } = await docs.appendBlocks(documentId, [textBlock("旧"), textBlock("乙"), imageBlock()]);
    const updated = await docs.updateBlock(documentId, blocks[0].block_id!, {
      updateText: ["新", { text: "!" }],
    });
    assert.deepEqual((updated.blocks[0].text as { elements: unknown[] }).elements.length, 2);
    await docs.batchUpdateBlocks(documentId, [
      { blockId: blocks[0].block_id!, update: { updateText: "甲" } },
      {
        blockId: blocks[1].block_id!,
        update: { raw: { update_text_style: { style: { align: 2 }, fields: [1] } } },
      },
    ]);
    assert.match(await docs.rawContent(documentId), /^改\n甲\n乙\n/);
    // Text operation on an image block: 1770025 (a bad request, not retried).
    await assert.rejects(
      docs.updateBlock(documentId, blocks[2].block_id!, { updateText: "x" }),
      (e) => e instanceof BadRequestError && e.code === 1770025,
    );
    // An image token that was not uploaded to this block: 1770013.
    await assert.rejects(
      docs.updateBlock(documentId, blocks[2].block_id!, { replaceImage: "boxcnNotUploadedHere" }),
      (e) => e instanceof BadRequestError && e.code === 1770013,
    );
    // An image block takes no children: 1770028.
    await assert.rejects(
      docs.appendBlocks(documentId, [textBlock("x")], { parentBlockId: blocks[2].block_id }),
      (e) => e instanceof BadRequestError && e.code === 1770028,
    );
  });
});

Deno.test("docx: unknown or deleted document → NotFoundError; another app's document → PermissionError", async () => {
  await withDocs({}, async ({ http, sandbox }) => {
    const docs = new DocxApi(http());
    await assert.rejects(
      docs.rawContent("doxcnDoesNotExist"),
      (e) => e instanceof NotFoundError && e.code === 1770002,
    );
    const { documentId } = await docs.createDocument({ title: "将删除" });
    docsFamily(sandbox.state).docs.delete(documentId);
    await assert.rejects(
      docs.appendBlocks(documentId, [textBlock("x")]),
      (e) => e instanceof NotFoundError && e.code === 1770003 && /删除/.test(e.hint),
    );
    const other = docsFamily(sandbox.state).docs.create("cli_other_app", "别人的");
    await assert.rejects(
      docs.rawContent(other.id),
      (e) => e instanceof PermissionError && e.code === 1770032,
    );
    await assert.rejects(docs.createDocument({ folderToken: "fld cn" }), ParamError);
  });
});

Deno.test("docx: the per-document 3 edits/s answer HTTP 429; the app's 3/s answers 400 + 99991400", async () => {
  const clock = new FakeClock(Date.UTC(2026, 11, 1));
  // Several apps may edit one document: lift this app's own edit limit to see the per-document one.
  const rateLimits = { docx_block_children_create: { perSecond: 10 } };
  await withDocs({ clock, rateLimits }, async ({ http, sandbox }) => {
    const docs = new DocxApi(http({ retry: { retries: 0 } }));
    const a = await docs.createDocument({ title: "A" });
    await clock.tick(1000);
    for (let i = 0; i < 3; i++) await docs.appendBlocks(a.documentId, [textBlock(`${i}`)]);
    const err = await docs.appendBlocks(a.documentId, [textBlock("4")]).catch((e) => e);
    assert.ok(err instanceof RateLimitError, String(err));
    assert.equal(err.httpStatus, 429);
    await clock.tick(1000);
    sandbox.rateLimits.set("docx_block_children_create", { perSecond: 3 });
    for (let i = 0; i < 3; i++) await docs.appendBlocks(a.documentId, [textBlock(`${i}`)]);
    const appEdit = await docs.appendBlocks(a.documentId, [textBlock("4")]).catch((e) => e);
    assert.ok(appEdit instanceof RateLimitError && appEdit.httpStatus === 400 && appEdit.code === 99991400);
    await clock.tick(1000);
    // App-wide: 3 creates in one second, the 4th is refused with HTTP 400 + 99991400.
    for (let i = 0; i < 3; i++) await docs.createDocument({ title: `${i}` });
    const app = await docs.createDocument({ title: "x" }).catch((e) => e);
    assert.ok(app instanceof RateLimitError);
    assert.equal(app.httpStatus, 400);
    assert.equal(app.code, 99991400);
  });
});

Deno.test("docx: with the documented buckets the client never trips the per-document or app limits", async () => {
  const clock = new FakeClock(Date.UTC(2026, 11, 1));
  await withDocs({ clock }, async ({ sandbox, auth }) => {
    const limiter = new RateLimiter({ clock, buckets: { ...DOCX_BUCKETS } });
    const http = new LarkHttp({
      baseUrl: "http://sandbox.local",
      auth,
      clock,
      limiter,
      retry: { retries: 0 },
      fetch: (input, init) => Promise.resolve(sandbox.app.fetch(new Request(input, init))),
    });
    const docs = new DocxApi(http, { limiter });
    const { documentId } = await docs.createDocument({ title: "限流" });
    const other = await (async () => {
      await clock.tick(400);
      return (await docs.createDocument({ title: "另一篇" })).documentId;
    })();
    let settled = false;
    const edits = Promise.all([
      ...Array.from({ length: 7 }, (_, i) => docs.appendBlocks(documentId, [textBlock(`a${i}`)])),
      ...Array.from({ length: 2 }, (_, i) => docs.appendBlocks(other, [textBlock(`b${i}`)])),
    ]).finally(() => settled = true);
    while (!settled) await clock.tick(50);
    await edits;
    const entries = sandbox.journal.filter("docx_block_children_create");
    assert.equal(entries.length, 9);
    assert.ok(entries.every((e) => !e.throttled && e.code === 0), "no 429 and no 99991400");
    // The app bucket (3/s) spaced all 9 edits: they spread over ≥ 2 s of fake time.
    assert.ok(entries[8].ts - entries[0].ts >= 2000, `spread ${entries[8].ts - entries[0].ts} ms`);
    assert.equal(limiter.stats(`docx_doc:${documentId}`)?.granted, 7);
  });
});
