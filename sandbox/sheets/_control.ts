/**
 * Control endpoint of the Sheets family (not journaled, not faulted):
 * `POST /__sandbox/sheets/spreadsheets {spreadsheet_token, sheet_ids[]}` creates (or empties) a spreadsheet.
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import { CONTROL_PREFIX } from "../_middleware.ts";
import type { SheetsFamily } from "./store.ts";

/** Register the Sheets control endpoint. */
export function registerSheetsControlRoutes(app: SandboxApp, sheets: SheetsFamily): void {
  app.post(`${CONTROL_PREFIX}/sheets/spreadsheets`, async (c) => {
    const body = await c.req.json().catch(() => undefined) as Record<string, unknown> | undefined;
    const token = body?.spreadsheet_token;
    const ids = body?.sheet_ids;
    if (typeof token !== "string" || !/^[A-Za-z0-9]+$/.test(token)) {
      return c.json({ ok: false, error: "spreadsheet_token 无效" }, 400);
    }
    if (
      !Array.isArray(ids) || ids.length === 0 ||
      !ids.every((s) => typeof s === "string" && /^[A-Za-z0-9]+$/.test(s))
    ) {
      return c.json({ ok: false, error: "sheet_ids 应为非空的工作表 ID 数组" }, 400);
    }
    sheets.createSpreadsheet(token, ids);
    return c.json({ ok: true });
  });
}
