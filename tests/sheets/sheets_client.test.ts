/** lib/sheets against the sandbox's Sheets family: every call, its errors and its per-call bound. */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { BadRequestError, NotFoundError, RateLimitError } from "../../lib/errors/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { cellRange, SheetsClient } from "../../lib/sheets/mod.ts";
import type { Sandbox } from "../../sandbox/mod.ts";
import { type SheetsFamily, sheetsFamily } from "../../sandbox/sheets/store.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

const BOOK = "shtcnTest01";
const SHEET = "0b12cd";

async function withSheets(
  fn: (env: { sandbox: Sandbox; family: SheetsFamily; client: SheetsClient }) => Promise<void>,
) {
  await withSandbox({}, async ({ sandbox, url }) => {
    const family = sheetsFamily(sandbox.state);
    family.createSpreadsheet(BOOK, [SHEET, "s2"]);
    const auth = staticAuth("tenant:test", { Authorization: `Bearer ${await token(url)}` });
    const client = new SheetsClient(new LarkHttp({ baseUrl: url, auth, retry: { baseMs: 1, capMs: 4 } }));
    await fn({ sandbox, family, client });
  });
}

const count = (sandbox: Sandbox, name: string) => sandbox.journal.filter(name).length;

Deno.test("sheets: write and read a range, several ranges, append", async () => {
  await withSheets(async ({ sandbox, client }) => {
    const w = await client.writeRange(BOOK, `${SHEET}!B2`, [["姓名", "部门"], ["张三", "研发"]]);
    assert.deepEqual([w.updatedCells, w.calls], [4, 1]);
    assert.deepEqual((await client.readRange(BOOK, `${SHEET}!A1:C3`)).values, [
      [null, null, null],
      [null, "姓名", "部门"],
      [null, "张三", "研发"],
    ]);
    await client.writeRanges(BOOK, [
      { start: "s2!A1", values: [[1, 2]] },
      { start: cellRange("s2", 4, 0, 1, 1), values: [["=A1+B1"]] },
    ]);
    const many = await client.readRanges(BOOK, ["s2!A1:B1", "s2!A5"]);
    assert.deepEqual(many, [{ range: "s2!A1:B1", values: [[1, 2]] }, {
      range: "s2!A5:A5",
      values: [["=A1+B1"]],
    }]);
    assert.equal(count(sandbox, "sheets_values_batch_get"), 1);

    const a = await client.appendRows(BOOK, `${SHEET}!B1:C1`, [["李四", "销售"]]);
    assert.equal(a.tableRange, `${SHEET}!B1:C4`);
    assert.deepEqual((await client.readRange(BOOK, `${SHEET}!B4:C4`)).values, [["李四", "销售"]]);
  });
});

Deno.test("sheets: data beyond 5,000 rows × 100 columns is split into several calls", async () => {
  await withSheets(async ({ sandbox, family, client }) => {
    const rows = Array.from({ length: 5001 }, (_, i) => [i, `r${i}`]);
    const w = await client.writeRange(BOOK, `${SHEET}!A1`, rows);
    assert.deepEqual([w.calls, w.updatedCells], [2, 10_002]);
    const wide = [Array.from({ length: 150 }, (_, i) => i)];
    assert.equal((await client.writeRange(BOOK, "s2!A1", wide)).calls, 2);
    assert.equal(count(sandbox, "sheets_values_put"), 4);
    assert.equal(family.sheet(BOOK, SHEET)!.cells.get("5000:1"), "r5000");

    const back = await client.readRange(BOOK, cellRange(SHEET, 0, 0, 5001, 2));
    assert.deepEqual(back.values, rows);
    assert.equal(count(sandbox, "sheets_values_get"), 2);
    const wideBack = await client.readRange(BOOK, cellRange("s2", 0, 0, 1, 150));
    assert.deepEqual(wideBack.values, wide);
  });
});

Deno.test("sheets: styles, merges, column widths / row heights (0-based, end exclusive), freeze panes", async () => {
  await withSheets(async ({ sandbox, family, client }) => {
    const sheet = () => family.sheet(BOOK, SHEET)!;
    const s = await client.setStyle(BOOK, `${SHEET}!A1:B1`, {
      bold: true,
      hAlign: "center",
      background: "#fff2cc",
    });
    assert.equal(s.updatedCells, 2);
    assert.deepEqual(sheet().styles.get("0:1"), { font: { bold: true }, hAlign: 1, backColor: "#FFF2CC" });
    assert.equal(sheet().styles.get("1:0"), undefined);

    await client.mergeCells(BOOK, `${SHEET}!A1:C1`);
    await client.mergeCells(BOOK, `${SHEET}!A3:B4`, "MERGE_ROWS");
    assert.deepEqual(sheet().merges.length, 3);
    await client.unmergeCells(BOOK, `${SHEET}!A1:C4`);
    assert.deepEqual(sheet().merges, []);

    await client.setColumnWidths(BOOK, SHEET, 0, 2, 160); // A and B
    await client.setRowHeights(BOOK, SHEET, 5, 6, 40); // row 6 in the UI
    assert.deepEqual([...sheet().colWidths], [[0, 160], [1, 160]]);
    assert.deepEqual([...sheet().rowHeights], [[5, 40]]);
    const sent = sandbox.journal.filter("sheets_dimension_update");
    assert.equal(sent.length, 2);
    await client.setVisible(BOOK, SHEET, "COLUMNS", 3, 4, false);
    assert.ok(sheet().hidden.has("COLUMNS:3"));

    await client.freeze(BOOK, SHEET, { rows: 1, cols: 2 });
    assert.deepEqual([sheet().frozenRowCount, sheet().frozenColCount], [1, 2]);
  });
});

Deno.test("sheets: unknown spreadsheet / sheet are not-found errors; bad input never reaches the network", async () => {
  await withSheets(async ({ sandbox, client }) => {
    await assert.rejects(
      client.readRange("shtcnNope", `${SHEET}!A1`),
      (e) => e instanceof NotFoundError && e.code === 90214,
    );
    await assert.rejects(
      client.readRange(BOOK, "zz9!A1"),
      (e) => e instanceof NotFoundError && e.code === 90215,
    );
    const before = sandbox.journal.filter().length;
    const field = (f: string) => (e: unknown) =>
      e instanceof BadRequestError && (e as { field?: string }).field === f;
    await assert.rejects(client.readRange(BOOK, "Sheet1 A1"), field("range"));
    await assert.rejects(client.writeRange(BOOK, `${SHEET}!A1`, [[1, 2], [3]]), field("values[1]"));
    await assert.rejects(
      client.writeRange(BOOK, `${SHEET}!A1`, [["x".repeat(50_001)]]),
      field("values[0][0]"),
    );
    await assert.rejects(client.readRanges(BOOK, [cellRange(SHEET, 0, 0, 5001, 1)]), field("ranges[0]"));
    await assert.rejects(client.mergeCells(BOOK, cellRange(SHEET, 0, 0, 1, 101)), field("range"));
    await assert.rejects(client.setColumnWidths(BOOK, SHEET, 2, 2, 100), field("end"));
    await assert.rejects(client.setRowHeights(BOOK, SHEET, -1, 2, 100), field("start"));
    await assert.rejects(client.freeze(BOOK, SHEET, {}), field("freeze"));
    await assert.rejects(
      client.setStyle("bad token", `${SHEET}!A1`, { bold: true }),
      field("spreadsheet_token"),
    );
    assert.equal(sandbox.journal.filter().length, before);
  });
});

Deno.test("sheets sandbox: the per-call bound and the 1-based dimension API are enforced server-side", async () => {
  await withSandbox({}, async ({ sandbox, url }) => {
    sheetsFamily(sandbox.state).createSpreadsheet(BOOK, [SHEET]);
    const headers = { Authorization: `Bearer ${await token(url)}`, "content-type": "application/json" };
    const big = await fetch(`${url}/open-apis/sheets/v2/spreadsheets/${BOOK}/values/${SHEET}!A1:A5001`, {
      headers,
    });
    assert.equal((await big.json()).code, 90219);
    const zero = await fetch(`${url}/open-apis/sheets/v2/spreadsheets/${BOOK}/dimension_range`, {
      method: "PUT",
      headers,
      body: JSON.stringify({
        dimension: { sheetId: SHEET, majorDimension: "ROWS", startIndex: 0, endIndex: 1 },
        dimensionProperties: { fixedSize: 30 },
      }),
    });
    assert.equal((await zero.json()).code, 90212);
  });
});

Deno.test("sheets sandbox: control endpoint seeds a spreadsheet; reads held to the documented 100/s", async () => {
  const clock = new FakeClock(Date.parse("2026-01-05T10:00:00Z"));
  await withSandbox({ clock }, async ({ url }) => {
    const seed = await fetch(`${url}/__sandbox/sheets/spreadsheets`, {
      method: "POST",
      body: JSON.stringify({ spreadsheet_token: "shtcnCtl01", sheet_ids: ["a1b2"] }),
    });
    assert.equal(seed.status, 200);
    await seed.body?.cancel();
    const refused = await fetch(`${url}/__sandbox/sheets/spreadsheets`, { method: "POST", body: "{}" });
    assert.equal(refused.status, 400);
    await refused.body?.cancel();
    const auth = staticAuth("tenant:test", { Authorization: `Bearer ${await token(url)}` });
    const client = new SheetsClient(new LarkHttp({ baseUrl: url, auth, retry: { retries: 0 } }));
    for (let i = 0; i < 100; i++) await client.readRange("shtcnCtl01", "a1b2!A1");
    await assert.rejects(client.readRange("shtcnCtl01", "a1b2!A1"), (e) => e instanceof RateLimitError);
  });
});
