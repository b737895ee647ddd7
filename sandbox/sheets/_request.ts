import { formatRange, parseRange } from "../../lib/sheets/a1_range.ts";
import type { SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { type SandboxSheet, type SandboxSpreadsheet, sheetsFamily } from "./store.ts";

/** Rows one call may cover. */
export const SHEETS_MAX_ROWS = 5000;
/** Columns one call may cover. */
export const SHEETS_MAX_COLS = 100;

/** A parsed range on an existing sheet. */
export interface Target {
  /** Text as sent. */
  text: string;
  /** Sheet. */
  sheet: SandboxSheet;
  /** 0-based, end exclusive. */
  startRow: number;
  startCol: number;
  endRow: number;
  endCol: number;
}

/** One request: its context, the spreadsheet and its token. */
export type Ctx = { c: SandboxContext; state: SandboxState; token: string; book: SandboxSpreadsheet };
/** An endpoint's logic, given the checked request and its JSON body. */
export type Handler = (x: Ctx, body: Record<string, unknown>) => Response;

/** A Sheets error (HTTP 400: UNCONFIRMED). */
class SheetsFailure extends Error {
  constructor(readonly code: number, msg: string) {
    super(msg);
  }
}

/** Answer with a Sheets error code (thrown; `guarded` turns it into the response). */
export function fail(code: number, msg: string): never {
  throw new SheetsFailure(code, msg);
}

/** Check the caller, the rate limit, the spreadsheet and the JSON body, then run `h`. */
export async function guarded(c: SandboxContext, state: SandboxState, h: Handler): Promise<Response> {
  const caller = requireCaller(c, meetingFamily(state), { tenant: true, user: true });
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, state, caller.appId);
  if (limited) return limited;
  const token = c.req.param("spreadsheet_token") ?? "";
  try {
    const book = sheetsFamily(state).spreadsheets.get(token);
    if (!book) fail(90214, "SpreadSheetNotFound");
    let body: Record<string, unknown> = {};
    if (c.req.method !== "GET") {
      try {
        body = await c.req.json();
      } catch {
        fail(90201, "WrongRequestJson");
      }
      if (!body || typeof body !== "object") fail(90204, "WrongRequestBody");
    }
    return h({ c, state, token, book }, body);
  } catch (e) {
    if (!(e instanceof SheetsFailure)) throw e;
    return openApiError(c, state.clock, 400, e.code, e.message);
  }
}

/** A success response. */
export function ok(x: Ctx, data: Record<string, unknown>): Response {
  return sendJson(x.c, x.state.clock, { code: 0, msg: "success", data });
}

/** Parse a range on an existing sheet, within the per-call bound. */
export function target(x: Ctx, text: unknown): Target {
  let r;
  try {
    r = parseRange(String(text));
  } catch {
    fail(90202, "WrongRange");
  }
  const sheet = x.book.sheets.get(r.sheetId) ?? fail(90215, "SheetIdNotFound");
  if (r.endRow - r.startRow > SHEETS_MAX_ROWS || r.endCol - r.startCol > SHEETS_MAX_COLS) {
    fail(90219, "CellExcess");
  }
  return { text: formatRange(r), sheet, ...r };
}

/** The `values` of a body: an array of rows. */
export function values(v: unknown): unknown[][] {
  if (!Array.isArray(v) || !v.every(Array.isArray)) fail(90204, "WrongRequestBody: values");
  return v as unknown[][];
}

/** The `updated*` fields of a write response. */
export function updated(x: Ctx, t: Target, cells: number) {
  return {
    spreadsheetToken: x.token,
    updatedRange: t.text,
    updatedRows: t.endRow - t.startRow,
    updatedColumns: t.endCol - t.startCol,
    updatedCells: cells,
    revision: x.book.revision,
  };
}
