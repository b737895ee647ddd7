/**
 * Sheets v2 (open.feishu.cn/document/server-docs/docs/sheets-v3/…), tenant or user token, ranges
 * `<sheetId>!A1:C10`:
 * - `GET …/values/:range` → `data.{revision, spreadsheetToken, valueRange{majorDimension, range, revision, values}}`;
 * - `GET …/values_batch_get?ranges=r1,r2` → `data.{revision, spreadsheetToken, totalCells, valueRanges[]}`;
 * - `PUT …/values` `{valueRange{range, values}}` → `data.{revision, spreadsheetToken, updatedRange, updatedRows,
 *   updatedColumns, updatedCells}`; `POST …/values_batch_update` `{valueRanges[]}` → `data.{revision, responses[]}`;
 * - `POST …/values_append?insertDataOption=` → `data.{revision, spreadsheetToken, tableRange, updates{…}}`;
 * - `PUT …/style` `{appendStyle{range, style}}` → `data.updates{…}`;
 * - `POST …/merge_cells` `{range, mergeType}` / `…/unmerge_cells` `{range}` → `data.spreadsheetToken`;
 * - `PUT …/dimension_range` `{dimension{sheetId, majorDimension, startIndex, endIndex} (1-based, inclusive),
 *   dimensionProperties{visible, fixedSize}}` → `data{}`;
 * - `POST …/sheets_batch_update` `{requests[{updateSheet{properties{sheetId, frozenRowCount, frozenColCount}}}]}`
 *   → `data.replies[{updateSheet{properties}}]`.
 *
 * Codes (server error-code page open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN): bad range 90202,
 * bad body 90204, bad row/column 90212, unknown spreadsheet 90214, unknown sheet 90215, more than
 * 5,000 rows × 100 columns in one call 90219. UNCONFIRMED (sandbox/UNCONFIRMED.md): the HTTP status of
 * these codes (400 chosen), 90219 for the per-call bound, and the `data` of `dimension_range` (`{}`).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { endpoint } from "../_middleware.ts";
import type { SandboxState } from "../state.ts";
import * as P from "./endpoints.ts";
import { sheetsFamily } from "./store.ts";
import {
  type Ctx,
  fail,
  guarded,
  type Handler,
  ok,
  SHEETS_MAX_ROWS,
  target,
  updated,
  values,
} from "./_request.ts";
import { applyAppend, readBlock, writeBlock } from "./_cells.ts";
import { registerSheetsControlRoutes } from "./_control.ts";

export { SHEETS_MAX_COLS, SHEETS_MAX_ROWS, type Target } from "./_request.ts";

/** Register the Sheets endpoints. */
export function registerSheetsRoutes(app: SandboxApp, state: SandboxState): void {
  registerSheetsControlRoutes(app, sheetsFamily(state));
  const on = (name: P.SheetsEndpointName, h: Handler) =>
    [endpoint(state, name), (c: SandboxContext) => guarded(c, state, h)] as const;
  app.get(P.SHEETS_BATCH_READ_PATH, ...on("sheets_values_batch_get", batchRead));
  app.get(P.SHEETS_READ_PATH, ...on("sheets_values_get", readOne));
  app.put(P.SHEETS_WRITE_PATH, ...on("sheets_values_put", writeOne));
  app.post(P.SHEETS_BATCH_WRITE_PATH, ...on("sheets_values_batch_update", batchWrite));
  app.post(P.SHEETS_APPEND_PATH, ...on("sheets_values_append", append));
  app.put(P.SHEETS_STYLE_PATH, ...on("sheets_style", style));
  app.post(P.SHEETS_MERGE_PATH, ...on("sheets_merge", merge));
  app.post(P.SHEETS_UNMERGE_PATH, ...on("sheets_unmerge", unmerge));
  app.put(P.SHEETS_DIMENSION_PATH, ...on("sheets_dimension_update", dimension));
  app.post(P.SHEETS_SHEETS_BATCH_PATH, ...on("sheets_sheets_batch_update", sheetsBatch));
}

const readOne: Handler = (x) => {
  const t = target(x, decodeURIComponent(x.c.req.param("range") ?? ""));
  return ok(x, {
    revision: x.book.revision,
    spreadsheetToken: x.token,
    valueRange: { majorDimension: "ROWS", range: t.text, revision: x.book.revision, values: readBlock(t) },
  });
};

const batchRead: Handler = (x) => {
  const texts = (x.c.req.query("ranges") ?? "").split(",").filter((s) => s !== "");
  if (texts.length === 0) fail(90202, "WrongRange");
  const targets = texts.map((t) => target(x, t));
  return ok(x, {
    revision: x.book.revision,
    spreadsheetToken: x.token,
    totalCells: targets.reduce((n, t) => n + (t.endRow - t.startRow) * (t.endCol - t.startCol), 0),
    valueRanges: targets.map((t) => ({
      majorDimension: "ROWS",
      range: t.text,
      revision: x.book.revision,
      values: readBlock(t),
    })),
  });
};

function writeRange(x: Ctx, raw: unknown) {
  const vr = (raw ?? {}) as { range?: unknown; values?: unknown };
  const t = target(x, vr.range);
  const rows = values(vr.values);
  if (rows.length > t.endRow - t.startRow || rows.some((row) => row.length > t.endCol - t.startCol)) {
    fail(90202, "WrongRange: values exceed the range");
  }
  const cells = writeBlock(t, rows);
  return { t, cells };
}

const writeOne: Handler = (x, body) => {
  const { t, cells } = writeRange(x, body.valueRange);
  x.book.revision++;
  return ok(x, updated(x, t, cells));
};

const batchWrite: Handler = (x, body) => {
  if (!Array.isArray(body.valueRanges) || body.valueRanges.length === 0) fail(90204, "WrongRequestBody");
  const done = (body.valueRanges as unknown[]).map((vr) => writeRange(x, vr));
  x.book.revision++;
  return ok(x, {
    revision: x.book.revision,
    spreadsheetToken: x.token,
    responses: done.map(({ t, cells }) => updated(x, t, cells)),
  });
};

const append: Handler = (x, body) => {
  const vr = (body.valueRange ?? {}) as { range?: unknown; values?: unknown };
  const t = target(x, vr.range);
  const rows = values(vr.values);
  if (rows.length > SHEETS_MAX_ROWS) fail(90219, "CellExcess");
  const written = applyAppend(t, rows);
  x.book.revision++;
  return ok(x, {
    revision: x.book.revision,
    spreadsheetToken: x.token,
    tableRange: written.tableRange,
    updates: updated(x, written.target, written.cells),
  });
};

const style: Handler = (x, body) => {
  const s = (body.appendStyle ?? {}) as { range?: unknown; style?: unknown };
  const t = target(x, s.range);
  if (!s.style || typeof s.style !== "object") fail(90204, "WrongRequestBody: style");
  for (let r = t.startRow; r < t.endRow; r++) {
    for (let c = t.startCol; c < t.endCol; c++) {
      const key = `${r}:${c}`;
      const before = (s.style as { clean?: boolean }).clean ? {} : t.sheet.styles.get(key) ?? {};
      t.sheet.styles.set(key, { ...before, ...(s.style as Record<string, unknown>) });
    }
  }
  x.book.revision++;
  return ok(x, { updates: updated(x, t, (t.endRow - t.startRow) * (t.endCol - t.startCol)) });
};

const merge: Handler = (x, body) => {
  const t = target(x, body.range);
  const type = body.mergeType;
  if (type !== "MERGE_ALL" && type !== "MERGE_ROWS" && type !== "MERGE_COLUMNS") {
    fail(90204, "WrongRequestBody: mergeType");
  }
  const overlaps = t.sheet.merges.some((m) =>
    m.startRow < t.endRow && t.startRow < m.endRow && m.startCol < t.endCol && t.startCol < m.endCol
  );
  if (overlaps) fail(90204, "WrongRequestBody: overlaps a merged range");
  const { startRow, startCol, endRow, endCol } = t;
  if (type === "MERGE_ALL") t.sheet.merges.push({ startRow, startCol, endRow, endCol });
  if (type === "MERGE_ROWS") {
    for (let r = startRow; r < endRow; r++) {
      t.sheet.merges.push({ startRow: r, startCol, endRow: r + 1, endCol });
    }
  }
  if (type === "MERGE_COLUMNS") {
    for (let c = startCol; c < endCol; c++) {
      t.sheet.merges.push({ startRow, startCol: c, endRow, endCol: c + 1 });
    }
  }
  x.book.revision++;
  return ok(x, { spreadsheetToken: x.token });
};

const unmerge: Handler = (x, body) => {
  const t = target(x, body.range);
  t.sheet.merges = t.sheet.merges.filter((m) =>
    !(m.startRow >= t.startRow && m.endRow <= t.endRow && m.startCol >= t.startCol && m.endCol <= t.endCol)
  );
  x.book.revision++;
  return ok(x, { spreadsheetToken: x.token });
};

const dimension: Handler = (x, body) => {
  const d = (body.dimension ?? {}) as Record<string, unknown>;
  const props = (body.dimensionProperties ?? {}) as { visible?: unknown; fixedSize?: unknown };
  const sheet = x.book.sheets.get(String(d.sheetId)) ?? fail(90215, "SheetIdNotFound");
  const major = d.majorDimension;
  if (major !== "ROWS" && major !== "COLUMNS") fail(90204, "WrongRequestBody: majorDimension");
  const start = Number(d.startIndex);
  const end = Number(d.endIndex);
  // 1-based, end inclusive (this API only).
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) {
    fail(90212, "WrongRowOrCol");
  }
  if (end - start + 1 > SHEETS_MAX_ROWS) fail(90219, "CellExcess");
  for (let i = start - 1; i <= end - 1; i++) {
    if (props.fixedSize !== undefined) {
      (major === "ROWS" ? sheet.rowHeights : sheet.colWidths).set(i, Number(props.fixedSize));
    }
    if (props.visible === false) sheet.hidden.add(`${major}:${i}`);
    if (props.visible === true) sheet.hidden.delete(`${major}:${i}`);
  }
  x.book.revision++;
  return ok(x, {});
};

const sheetsBatch: Handler = (x, body) => {
  if (!Array.isArray(body.requests) || body.requests.length === 0) fail(90204, "WrongRequestBody");
  const replies = (body.requests as { updateSheet?: { properties?: Record<string, unknown> } }[]).map(
    (req) => {
      const p = req.updateSheet?.properties ?? fail(90204, "WrongRequestBody: updateSheet");
      const sheet = x.book.sheets.get(String(p.sheetId)) ?? fail(90215, "SheetIdNotFound");
      for (const key of ["frozenRowCount", "frozenColCount"] as const) {
        if (p[key] === undefined) continue;
        const n = Number(p[key]);
        if (!Number.isInteger(n) || n < 0) fail(90212, "WrongRowOrCol");
        sheet[key] = n;
      }
      return {
        updateSheet: {
          properties: {
            sheetId: p.sheetId,
            frozenRowCount: sheet.frozenRowCount,
            frozenColCount: sheet.frozenColCount,
          },
        },
      };
    },
  );
  x.book.revision++;
  return ok(x, { replies });
};
