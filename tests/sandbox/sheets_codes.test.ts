/**
 * The sandbox's Sheets v2 endpoints refuse bad requests with the codes of the
 * server error-code page (open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN):
 * 90201 request not JSON, 90202 bad range, 90204 bad body, 90212 bad row or
 * column, 90214 unknown spreadsheet, 90215 unknown sheet, 90219 over 5,000 rows ×
 * 100 columns in one call; and nothing is written by a refused call.
 */
import assert from "node:assert/strict";
import { sheetsFamily } from "../../sandbox/sheets/store.ts";
import { type Answer, call, token, withSandbox } from "./_helpers.ts";

const BOOK = "shtcnCodes01";
const SHEET = "0c0de5";
const S = `/open-apis/sheets/v2/spreadsheets/${BOOK}`;

function refused(a: Answer, code: number) {
  assert.equal(a.status, 400, a.text);
  assert.equal(a.body.code, code, a.text);
}

async function withBook(
  fn: (send: (method: string, path: string, body?: unknown) => Promise<Answer>) => Promise<void>,
) {
  await withSandbox({ defaultRateLimits: false }, async ({ sandbox, url }) => {
    sheetsFamily(sandbox.state).createSpreadsheet(BOOK, [SHEET]);
    const bearer = await token(url);
    await fn((method, path, body) =>
      call(url + path, {
        method,
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body),
      })
    );
  });
}

Deno.test("sheets sandbox: unknown spreadsheet 90214, unknown sheet 90215, bad range 90202, too big 90219", async () => {
  await withBook(async (send) => {
    refused(await send("GET", `/open-apis/sheets/v2/spreadsheets/shtcnNOPE/values/${SHEET}!A1:B2`), 90214);
    refused(await send("GET", `${S}/values/nosheet!A1:B2`), 90215);
    refused(await send("GET", `${S}/values/${encodeURIComponent("not a range")}`), 90202);
    refused(await send("GET", `${S}/values/${SHEET}!A1:A5002`), 90219);
    refused(await send("GET", `${S}/values/${SHEET}!A1:CX1`), 90219);
    refused(await send("GET", `${S}/values_batch_get?ranges=`), 90202);
    refused(await send("GET", `${S}/values_batch_get?ranges=${SHEET}!A1:B2,nosheet!A1`), 90215);
    const fine = await send("GET", `${S}/values/${SHEET}!A1:CV5000`);
    assert.equal(fine.body.code, 0, "5,000 rows × 100 columns is the bound, not over it");
  });
});

Deno.test("sheets sandbox: write bodies are checked (90201/90204/90202) and a refused write changes nothing", async () => {
  await withBook(async (send) => {
    const revision = (await send("GET", `${S}/values/${SHEET}!A1:A1`)).body.data.revision;
    refused(await send("PUT", `${S}/values`, "{not json"), 90201);
    refused(await send("PUT", `${S}/values`, "null"), 90204);
    refused(
      await send("PUT", `${S}/values`, { valueRange: { range: `${SHEET}!A1:B1`, values: "x" } }),
      90204,
    );
    refused(
      await send("PUT", `${S}/values`, { valueRange: { range: `${SHEET}!A1:B1`, values: [1, 2] } }),
      90204,
    );
    // More values than the range holds.
    refused(
      await send("PUT", `${S}/values`, { valueRange: { range: `${SHEET}!A1:B1`, values: [[1, 2, 3]] } }),
      90202,
    );
    refused(
      await send("PUT", `${S}/values`, { valueRange: { range: `${SHEET}!A1:B1`, values: [[1], [2]] } }),
      90202,
    );
    refused(await send("POST", `${S}/values_batch_update`, { valueRanges: [] }), 90204);
    refused(await send("POST", `${S}/values_batch_update`, {}), 90204);
    refused(
      await send("POST", `${S}/values_append`, {
        valueRange: { range: `${SHEET}!A1:A1`, values: Array.from({ length: 5001 }, () => [1]) },
      }),
      90219,
    );
    const read = await send("GET", `${S}/values/${SHEET}!A1:C2`);
    assert.deepEqual(read.body.data.valueRange.values, [[null, null, null], [null, null, null]]);
    assert.equal(read.body.data.revision, revision, "no refused call moved the revision");
  });
});

Deno.test("sheets sandbox: style, merge, dimension and sheet updates refuse bad arguments", async () => {
  await withBook(async (send) => {
    refused(await send("PUT", `${S}/style`, { appendStyle: { range: `${SHEET}!A1:B2` } }), 90204);
    refused(
      await send("PUT", `${S}/style`, { appendStyle: { range: `${SHEET}!A1:B2`, style: "bold" } }),
      90204,
    );
    refused(
      await send("POST", `${S}/merge_cells`, { range: `${SHEET}!A1:B2`, mergeType: "MERGE_SOME" }),
      90204,
    );
    const merged = await send("POST", `${S}/merge_cells`, {
      range: `${SHEET}!A1:B2`,
      mergeType: "MERGE_ALL",
    });
    assert.equal(merged.body.code, 0, merged.text);
    refused(
      await send("POST", `${S}/merge_cells`, { range: `${SHEET}!B2:C3`, mergeType: "MERGE_ROWS" }),
      90204,
    );
    const cols = await send("POST", `${S}/merge_cells`, {
      range: `${SHEET}!D1:E2`,
      mergeType: "MERGE_COLUMNS",
    });
    assert.equal(cols.body.code, 0, cols.text);

    const dim = (dimension: Record<string, unknown>) =>
      send("PUT", `${S}/dimension_range`, { dimension, dimensionProperties: { visible: false } });
    refused(await dim({ sheetId: "nosheet", majorDimension: "ROWS", startIndex: 1, endIndex: 2 }), 90215);
    refused(await dim({ sheetId: SHEET, majorDimension: "DIAGONAL", startIndex: 1, endIndex: 2 }), 90204);
    refused(await dim({ sheetId: SHEET, majorDimension: "ROWS", startIndex: 0, endIndex: 2 }), 90212);
    refused(await dim({ sheetId: SHEET, majorDimension: "ROWS", startIndex: 3, endIndex: 2 }), 90212);
    refused(await dim({ sheetId: SHEET, majorDimension: "ROWS", startIndex: 1, endIndex: 5001 }), 90219);
    const hidden = await dim({ sheetId: SHEET, majorDimension: "COLUMNS", startIndex: 2, endIndex: 3 });
    assert.equal(hidden.body.code, 0, hidden.text);

    const frozen = (properties: unknown) =>
      send("POST", `${S}/sheets_batch_update`, { requests: [{ updateSheet: { properties } }] });
    refused(await send("POST", `${S}/sheets_batch_update`, { requests: [] }), 90204);
    refused(await send("POST", `${S}/sheets_batch_update`, { requests: [{ addSheet: {} }] }), 90204);
    refused(await frozen({ sheetId: "nosheet", frozenRowCount: 1 }), 90215);
    refused(await frozen({ sheetId: SHEET, frozenRowCount: -1 }), 90212);
    refused(await frozen({ sheetId: SHEET, frozenColCount: 1.5 }), 90212);
    const ok = await frozen({ sheetId: SHEET, frozenRowCount: 1 });
    assert.equal(ok.body.code, 0, ok.text);
    assert.equal(ok.body.data.replies[0].updateSheet.properties.frozenRowCount, 1);
  });
});
