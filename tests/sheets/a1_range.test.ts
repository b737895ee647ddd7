/** The A1 range helper and the style builder: parse/format, the per-call bound, splitting, checks naming the field. */
import assert from "node:assert/strict";
import {
  cellRange,
  checkBounds,
  columnIndex,
  columnName,
  formatRange,
  parseRange,
  splitRange,
  toApiStyle,
} from "../../lib/sheets/mod.ts";
import { BadRequestError } from "../../lib/errors/mod.ts";

const field = (e: unknown) => (e as { field?: string }).field;

Deno.test("columns: letters ↔ 0-based index", () => {
  for (
    const [i, name] of [[0, "A"], [25, "Z"], [26, "AA"], [51, "AZ"], [52, "BA"], [701, "ZZ"], [
      702,
      "AAA",
    ]] as const
  ) {
    assert.equal(columnName(i), name);
    assert.equal(columnIndex(name), i);
  }
  assert.throws(() => columnName(-1), BadRequestError);
  assert.throws(() => columnIndex("A1"), BadRequestError);
});

Deno.test("ranges: parse and format in one 0-based, end-exclusive convention", () => {
  assert.deepEqual(parseRange("0b12cd!B2:D10"), {
    sheetId: "0b12cd",
    startRow: 1,
    startCol: 1,
    endRow: 10,
    endCol: 4,
  });
  assert.deepEqual(parseRange("s1!C3"), { sheetId: "s1", startRow: 2, startCol: 2, endRow: 3, endCol: 3 });
  assert.equal(formatRange(parseRange("s1!D10:B2")), "s1!B2:D10");
  assert.equal(formatRange(cellRange("s1", 0, 0, 5000, 100)), "s1!A1:CV5000");
  for (const bad of ["A1:B2", "s1!", "s1!A0", "s 1!A1", "s1!A1:B", "s1!1A"]) {
    assert.throws(() => parseRange(bad), (e) => e instanceof BadRequestError && field(e) === "range", bad);
  }
  assert.throws(() => cellRange("s1", 0, 0, 0, 1), (e) => field(e) === "range");
  assert.throws(() => cellRange("表1", 0, 0, 1, 1), (e) => field(e) === "range.sheet_id");
});

Deno.test("ranges: 5,000 × 100 per call is checked, and larger ranges split into blocks", () => {
  checkBounds(cellRange("s1", 0, 0, 5000, 100));
  assert.throws(() => checkBounds(cellRange("s1", 0, 0, 5001, 1)), (e) => field(e) === "range");
  assert.throws(() => checkBounds(cellRange("s1", 0, 0, 1, 101)), (e) => field(e) === "range");
  const blocks = splitRange(cellRange("s1", 10, 5, 12_000, 150));
  assert.deepEqual(blocks.map(formatRange), [
    "s1!F11:DA5010",
    "s1!DB11:EY5010",
    "s1!F5011:DA10010",
    "s1!DB5011:EY10010",
    "s1!F10011:DA12010",
    "s1!DB10011:EY12010",
  ]);
  const cells = blocks.reduce((n, b) => n + (b.endRow - b.startRow) * (b.endCol - b.startCol), 0);
  assert.equal(cells, 12_000 * 150);
});

Deno.test("styles: friendly names map to the API's fields; bad values name the field", () => {
  assert.deepEqual(
    toApiStyle({
      bold: true,
      fontSize: 12,
      hAlign: "center",
      vAlign: "bottom",
      color: "#ff0000",
      background: "#FFF2CC",
      border: "FULL_BORDER",
      borderColor: "#000000",
      decoration: "underline",
      formatter: "#,##0.00",
    }),
    {
      font: { bold: true, fontSize: "12pt/1.5" },
      textDecoration: 1,
      formatter: "#,##0.00",
      hAlign: 1,
      vAlign: 2,
      foreColor: "#FF0000",
      backColor: "#FFF2CC",
      borderColor: "#000000",
      borderType: "FULL_BORDER",
    },
  );
  assert.throws(() => toApiStyle({ color: "red" }), (e) => field(e) === "style.color");
  assert.throws(() => toApiStyle({ hAlign: "middle" as never }), (e) => field(e) === "style.h_align");
  assert.throws(() => toApiStyle({ fontSize: 100 }), (e) => field(e) === "style.font_size");
  assert.throws(() => toApiStyle({}), (e) => field(e) === "style");
});
