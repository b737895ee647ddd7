/** SheetsClient refuses bad arguments with a ParamError naming the field, before any request. */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { ParamError } from "../../lib/errors/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { cellRange, SheetsClient } from "../../lib/sheets/mod.ts";

const BOOK = "shtcnParams01";
const SHEET = "0a1b2c";

/** A client whose every request would fail loudly: nothing may reach it. */
function offlineClient(): { client: SheetsClient; requests: () => number } {
  let n = 0;
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:9",
    auth: staticAuth("tenant:test", { Authorization: "Bearer t-x" }),
    retry: { retries: 0 },
    fetch: (() => {
      n++;
      return Promise.reject(new Error("no request expected"));
    }) as typeof fetch,
  });
  return { client: new SheetsClient(http), requests: () => n };
}

const field = (f: string) => (e: unknown) => e instanceof ParamError && e.field === f;

Deno.test("sheets: empty range lists, too-wide appends, merge types, freeze panes and sizes are refused locally", async () => {
  const { client, requests } = offlineClient();
  await assert.rejects(client.readRanges(BOOK, []), field("ranges"));
  await assert.rejects(client.writeRanges(BOOK, []), field("value_ranges"));
  await assert.rejects(client.appendRows(BOOK, `${SHEET}!A1:B1`, [[1, 2, 3]]), field("values"));
  await assert.rejects(client.appendRows(BOOK, `${SHEET}!A1:B1`, []), field("values"));
  await assert.rejects(
    client.mergeCells(BOOK, `${SHEET}!A1:B2`, "MERGE_DIAGONAL" as "MERGE_ALL"),
    field("merge_type"),
  );
  await assert.rejects(client.freeze(BOOK, SHEET, { rows: -1 }), field("freeze.rows"));
  await assert.rejects(client.freeze(BOOK, SHEET, { cols: 101 }), field("freeze.cols"));
  await assert.rejects(client.freeze(BOOK, SHEET, { rows: 1.5 }), field("freeze.rows"));
  await assert.rejects(client.setColumnWidths(BOOK, SHEET, 0, 1, 2001), field("size"));
  await assert.rejects(client.setRowHeights(BOOK, SHEET, 0, 1, 1.5), field("size"));
  await assert.rejects(client.setVisible(BOOK, SHEET, "ROWS", 0, 5002, false), field("end"));
  await assert.rejects(client.setVisible(BOOK, SHEET, "ROWS", 0.5, 2, false), field("start"));
  await assert.rejects(client.unmergeCells(BOOK, cellRange(SHEET, 0, 0, 5001, 1)), field("range"));
  assert.equal(requests(), 0, "nothing was sent");
});
