/**
 * The sandbox's Base record endpoints (bitable v1 app-table-record pages): the
 * refusal codes of their error tables (1254000/1254001 bad request, 1254037 bad
 * client token [400], 1254040/1254041/1254043/1254045 unknown Base/table/record/
 * field, 1254104 too many records in one call), every search operator, sorting,
 * projection and paging, and the advanced-permission attachment download.
 */
import assert from "node:assert/strict";
import { bitableFamily } from "../../sandbox/bitable/store.ts";
import { type Answer, call, token, withSandbox } from "./_helpers.ts";

const APP = "appCodes01";
const TABLE = "tblCodes01";
const RECORDS = `/open-apis/bitable/v1/apps/${APP}/tables/${TABLE}/records`;

type Send = (method: string, path: string, body?: unknown) => Promise<Answer>;

async function withTable(fn: (send: Send, ids: string[]) => Promise<void>) {
  await withSandbox({ defaultRateLimits: false }, async ({ sandbox, url }) => {
    const table = bitableFamily(sandbox.state).createTable(APP, TABLE, ["名称", "数量", "标签", "负责人"]);
    const rows: Record<string, unknown>[] = [
      { 名称: "苹果", 数量: 5, 标签: ["水果", "红"], 负责人: { text: "张三" } },
      { 名称: "香蕉", 数量: 12, 标签: ["水果"] },
      { 名称: "白菜", 数量: 3, 标签: ["蔬菜"], 负责人: { text: "李四" } },
      { 名称: "土豆", 数量: 12 },
    ];
    const ids = rows.map((fields, i) => {
      const id = `rec${String(i).padStart(8, "0")}`;
      table.records.set(id, { id, fields });
      return id;
    });
    const bearer = await token(url);
    await fn(
      (method, path, body) =>
        call(url + path, {
          method,
          headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
          body: typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body),
        }),
      ids,
    );
  });
}

function refused(a: Answer, code: number, status = 200) {
  assert.equal(a.status, status, a.text);
  assert.equal(a.body.code, code, a.text);
}

Deno.test("bitable sandbox: unknown Base/table/record/field, bad bodies, bad client token, too many records", async () => {
  await withTable(async (send, ids) => {
    refused(
      await send("POST", `/open-apis/bitable/v1/apps/appNOPE/tables/${TABLE}/records`, { fields: {} }),
      1254040,
    );
    refused(
      await send("POST", `/open-apis/bitable/v1/apps/${APP}/tables/tblNOPE/records`, { fields: {} }),
      1254041,
    );
    refused(await send("POST", RECORDS, "not json"), 1254000);
    refused(await send("POST", RECORDS, "[]"), 1254001);
    refused(await send("POST", RECORDS, { fields: ["名称"] }), 1254001);
    refused(await send("POST", RECORDS, { fields: { 颜色: "红" } }), 1254045);
    refused(await send("POST", `${RECORDS}?client_token=not-a-uuid`, { fields: {} }), 1254037, 400);
    refused(await send("PUT", `${RECORDS}/recNOPE`, { fields: { 名称: "x" } }), 1254043);
    refused(await send("PUT", `${RECORDS}/${ids[0]}`, { fields: { 颜色: "x" } }), 1254045);
    refused(await send("DELETE", `${RECORDS}/recNOPE`), 1254043);

    refused(await send("POST", `${RECORDS}/batch_create`, { records: [] }), 1254001);
    refused(await send("POST", `${RECORDS}/batch_create`, { records: [{ fields: { 颜色: 1 } }] }), 1254045);
    const many = Array.from({ length: 1001 }, () => ({ fields: { 名称: "x" } }));
    refused(await send("POST", `${RECORDS}/batch_create`, { records: many }), 1254104);
    refused(await send("POST", `${RECORDS}/batch_update`, { records: many }), 1254104);
    refused(await send("POST", `${RECORDS}/batch_update`, {}), 1254001);
    refused(
      await send("POST", `${RECORDS}/batch_update`, { records: [{ record_id: "recNOPE", fields: {} }] }),
      1254043,
    );
    refused(
      await send("POST", `${RECORDS}/batch_update`, {
        records: [{ record_id: ids[0], fields: { 颜色: 1 } }],
      }),
      1254045,
    );
    refused(
      await send("POST", `${RECORDS}/batch_delete`, { records: ids.concat(Array(497).fill("x")) }),
      1254104,
    );
    refused(await send("POST", `${RECORDS}/batch_delete`, { records: "x" }), 1254001);
    refused(await send("POST", `${RECORDS}/batch_delete`, { records: [ids[0], "recNOPE"] }), 1254043);

    // Nothing above changed the table.
    const all = await send("POST", `${RECORDS}/search`, {});
    assert.equal(all.body.data.total, 4);
    assert.equal(all.body.data.items[0].fields.名称, "苹果");

    const updated = await send("POST", `${RECORDS}/batch_update`, {
      records: [{ record_id: ids[3], fields: { 数量: 13 } }],
    });
    assert.equal(updated.body.data.records[0].fields.数量, 13);
    assert.equal(updated.body.data.records[0].fields.名称, "土豆", "other fields are kept");
  });
});

Deno.test("bitable sandbox: search operators, or-conjunction, sort, projection and page tokens", async () => {
  await withTable(async (send) => {
    const names = async (body: unknown, query = "") =>
      ((await send("POST", `${RECORDS}/search${query}`, body)).body.data.items as {
        fields: { 名称?: string };
      }[])
        .map((i) => i.fields.名称);
    const where = (operator: string, field: string, value?: unknown[]) => ({
      filter: { conjunction: "and", conditions: [{ field_name: field, operator, value }] },
    });
    assert.deepEqual(await names(where("is", "名称", ["苹果"])), ["苹果"]);
    assert.deepEqual(await names(where("isNot", "名称", ["苹果"])), ["香蕉", "白菜", "土豆"]);
    assert.deepEqual(await names(where("contains", "标签", ["水果"])), ["苹果", "香蕉"]);
    assert.deepEqual(await names(where("doesNotContain", "标签", ["水果"])), ["白菜", "土豆"]);
    assert.deepEqual(await names(where("isEmpty", "标签")), ["土豆"]);
    assert.deepEqual(await names(where("isNotEmpty", "负责人")), ["苹果", "白菜"]);
    assert.deepEqual(
      await names(where("is", "负责人", ["李四"])),
      ["白菜"],
      "a person cell matches its text",
    );
    assert.deepEqual(await names(where("isGreater", "数量", ["5"])), ["香蕉", "土豆"]);
    assert.deepEqual(await names(where("isGreaterEqual", "数量", ["5"])), ["苹果", "香蕉", "土豆"]);
    assert.deepEqual(await names(where("isLess", "数量", ["5"])), ["白菜"]);
    assert.deepEqual(await names(where("isLessEqual", "数量", ["5"])), ["苹果", "白菜"]);
    assert.deepEqual(await names(where("in", "名称", ["苹果", "土豆"])), ["苹果", "土豆"]);
    assert.deepEqual(
      await names(where("matchesRegex", "名称", ["."])),
      [],
      "an unknown operator matches nothing",
    );
    assert.deepEqual(
      await names({
        filter: {
          conjunction: "or",
          conditions: [
            { field_name: "名称", operator: "is", value: ["苹果"] },
            { field_name: "数量", operator: "isLess", value: ["4"] },
          ],
        },
      }),
      ["苹果", "白菜"],
    );
    // Sorted by count descending, ties by name ascending.
    assert.deepEqual(
      await names({ sort: [{ field_name: "数量", desc: true }, { field_name: "名称" }] }),
      ["土豆", "香蕉", "苹果", "白菜"],
    );
    const projected = await send("POST", `${RECORDS}/search`, { field_names: ["数量", "颜色"] });
    assert.equal(projected.body.code, 1254045, "an unknown projected field is refused");
    const only = await send("POST", `${RECORDS}/search`, { field_names: ["数量"] });
    assert.deepEqual(only.body.data.items[0].fields, { 数量: 5 });
    refused(await send("POST", `${RECORDS}/search`, { sort: [{ field_name: 7 }] }), 1254045);

    // Paging: two pages of two, the token is opaque and checked.
    const first = await send("POST", `${RECORDS}/search?page_size=2`, {});
    assert.equal(first.body.data.has_more, true);
    const second = await send(
      "POST",
      `${RECORDS}/search?page_size=2&page_token=${first.body.data.page_token}`,
      {},
    );
    assert.equal(second.body.data.has_more, false);
    assert.equal(second.body.data.page_token, undefined);
    assert.deepEqual(second.body.data.items.map((i: { fields: { 名称: string } }) => i.fields.名称), [
      "白菜",
      "土豆",
    ]);
    for (
      const q of ["page_size=0", "page_size=501", "page_size=x", "page_token=%25%25", "page_token=b2ZmOng="]
    ) {
      const a = await send("POST", `${RECORDS}/search?${q}`, {});
      refused(a, 99992402, 400);
      assert.equal(a.body.error.field_violations[0].field, q.split("=")[0]);
    }
  });
});

Deno.test("bitable sandbox: an advanced-permission attachment needs extra.bitablePerm.tableId (1061002 otherwise); Range honoured", async () => {
  await withSandbox({ defaultRateLimits: false }, async ({ sandbox, url }) => {
    const base = bitableFamily(sandbox.state);
    base.createTable(APP, TABLE, ["附件"]);
    const bytes = new TextEncoder().encode("0123456789");
    base.addAttachment("boxcnAdv01", {
      bytes,
      name: "报告 1.txt",
      type: "text/plain",
      tableId: TABLE,
      advanced: true,
    });
    const bearer = await token(url);
    const get = (extra: string | undefined, headers: Record<string, string> = {}) =>
      call(
        `${url}/open-apis/drive/v1/medias/boxcnAdv01/download${
          extra === undefined ? "" : `?extra=${encodeURIComponent(extra)}`
        }`,
        { headers: { authorization: `Bearer ${bearer}`, ...headers } },
      );
    refused(await get(undefined), 1061002, 400);
    refused(await get("{broken"), 1061002, 400);
    refused(await get(JSON.stringify({ bitablePerm: { tableId: "tblOther" } })), 1061002, 400);
    const extra = JSON.stringify({ bitablePerm: { tableId: TABLE } });
    const whole = await get(extra);
    assert.equal(whole.status, 200);
    assert.equal(whole.text, "0123456789");
    assert.match(whole.headers.get("content-disposition")!, /filename="%E6%8A%A5%E5%91%8A%201\.txt"/);
    const part = await get(extra, { range: "bytes=2-4" });
    assert.equal(part.status, 206);
    assert.equal(part.text, "234");
    const anonymous = await call(
      `${url}/open-apis/drive/v1/medias/boxcnAdv01/download?extra=${encodeURIComponent(extra)}`,
    );
    assert.equal(anonymous.body.code, 99991661, "no token, no file");
  });
});
