/** Block builders and the docx client's input checks (no network). */
import assert from "node:assert/strict";
import { ParamError } from "../../lib/errors/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import {
  BLOCK_TYPE,
  codeBlock,
  dividerBlock,
  DocxApi,
  headingBlock,
  imageBlock,
  listBlocks,
  tableBlock,
  textBlock,
} from "../../lib/docx/mod.ts";

function paramError(fn: () => unknown, field: string): void {
  assert.throws(
    fn,
    (e: unknown) => e instanceof ParamError && e.field === field,
    `expected ParamError(${field})`,
  );
}

Deno.test("builders: text with styled runs, headings 1-9, lists, code, divider, image, table", () => {
  assert.deepEqual(textBlock(["a ", { text: "b", style: { bold: true } }]), {
    block_type: 2,
    text: {
      elements: [{ text_run: { content: "a " } }, {
        text_run: { content: "b", text_element_style: { bold: true } },
      }],
      style: {},
    },
  });
  for (let level = 1; level <= 9; level++) {
    const b = headingBlock(level, "标题");
    assert.equal(b.block_type, 2 + level);
    assert.deepEqual(b[`heading${level}`], { elements: [{ text_run: { content: "标题" } }], style: {} });
  }
  assert.deepEqual(listBlocks(["x", "y"]).map((b) => b.block_type), [12, 12]);
  assert.deepEqual(listBlocks(["x"], true)[0], {
    block_type: 13,
    ordered: { elements: [{ text_run: { content: "x" } }], style: {} },
  });
  const code = codeBlock("let a = 1;", "TypeScript", { wrap: true });
  assert.equal(code.block_type, BLOCK_TYPE.code);
  assert.deepEqual((code.code as { style: unknown }).style, { language: 63, wrap: true });
  assert.deepEqual(dividerBlock(), { block_type: 22, divider: {} });
  assert.deepEqual(imageBlock({ width: 640 }), { block_type: 27, image: { width: 640 } });
  assert.deepEqual(tableBlock(2, 3), {
    block_type: 31,
    table: { property: { row_size: 2, column_size: 3, header_row: false } },
  });
  const link = textBlock({ text: "文档", style: { link: { url: "https://x.cn/a b" } } });
  const run = (link.text as { elements: { text_run: { text_element_style: { link: { url: string } } } }[] })
    .elements[0].text_run;
  assert.equal(run.text_element_style.link.url, "https%3A%2F%2Fx.cn%2Fa%20b");
});

Deno.test("builders: a bad input is a ParamError naming the field", () => {
  paramError(() => headingBlock(0, "x"), "level");
  paramError(() => headingBlock(10, "x"), "level");
  paramError(() => textBlock([]), "text");
  paramError(() => textBlock([42 as unknown as string]), "text[0]");
  paramError(() => codeBlock("x", "cobol-85"), "code.language");
  paramError(() => codeBlock("", "go"), "code");
  paramError(() => tableBlock(0, 2), "table.rows");
  paramError(() => tableBlock(2, 101), "table.columns");
  paramError(() => imageBlock({ width: 0 }), "image.width");
  paramError(() => listBlocks([]), "items");
  const e = (() => {
    try {
      codeBlock("x", "cobol-85");
    } catch (err) {
      return err as ParamError;
    }
  })()!;
  assert.match(e.hint, /code\.language/);
  assert.equal(e.retryable, false);
});

Deno.test("DocxApi validates before any request", async () => {
  let calls = 0;
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:9",
    fetch: () => {
      calls++;
      return Promise.reject(new Error("no request expected"));
    },
  });
  const docs = new DocxApi(http);
  await assert.rejects(
    docs.createDocument({ title: "x".repeat(801) }),
    (e) => (e as ParamError).field === "title",
  );
  await assert.rejects(
    docs.appendBlocks("doc/../x", [textBlock("a")]),
    (e) => (e as ParamError).field === "documentId",
  );
  await assert.rejects(docs.appendBlocks("doxcnA", []), (e) => (e as ParamError).field === "blocks");
  await assert.rejects(
    docs.appendBlocks("doxcnA", [{ block_type: 1 }]),
    (e) => (e as ParamError).field === "blocks[0].block_type",
  );
  await assert.rejects(
    docs.updateBlock("doxcnA", "blk", { nothing: 1 } as never),
    (e) => (e as ParamError).field === "update",
  );
  await assert.rejects(docs.rawContent(""), (e) => (e as ParamError).field === "documentId");
  assert.throws(
    () => docs.blocks("doxcnA", { pageSize: 501 }),
    (e) => (e as ParamError).field === "pageSize",
  );
  await assert.rejects(
    docs.batchUpdateBlocks("doxcnA", [{ blockId: "", update: { updateText: "x" } }]),
    (e) => (e as ParamError).field === "updates[0].blockId",
  );
  assert.equal(calls, 0);
});
