/**
 * The Sheets family's state (kept in `state.families` under `"sheets"`):
 * spreadsheets with their sheets' cells, styles, merges, row/column sizes and
 * frozen panes; tests seed them with {@linkcode SheetsFamily.createSpreadsheet}.
 *
 * @module
 */
import type { SandboxState } from "../state.ts";

/** Key of the family in `state.families`. */
export const SHEETS_FAMILY_KEY = "sheets";

/** A merged block, 0-based, end exclusive. */
export interface Merge {
  /** First row. */
  startRow: number;
  /** First column. */
  startCol: number;
  /** Row after the last. */
  endRow: number;
  /** Column after the last. */
  endCol: number;
}

/** One sheet. */
export interface SandboxSheet {
  /** Cell values by `row:col` (0-based). */
  cells: Map<string, unknown>;
  /** Cell styles by `row:col`. */
  styles: Map<string, Record<string, unknown>>;
  /** Merged blocks. */
  merges: Merge[];
  /** Row heights (px) by 0-based row. */
  rowHeights: Map<number, number>;
  /** Column widths (px) by 0-based column. */
  colWidths: Map<number, number>;
  /** Hidden rows/columns, `ROWS:3` / `COLUMNS:1`. */
  hidden: Set<string>;
  /** Frozen rows. */
  frozenRowCount: number;
  /** Frozen columns. */
  frozenColCount: number;
  /** Rows the sheet has (grows with writes). */
  rowCount: number;
  /** Columns the sheet has (grows with writes). */
  colCount: number;
}

/** One spreadsheet. */
export interface SandboxSpreadsheet {
  /** Revision, +1 per change. */
  revision: number;
  /** Sheets by id. */
  sheets: Map<string, SandboxSheet>;
}

/** State of the Sheets family. */
export class SheetsFamily {
  /** Spreadsheets by token. */
  readonly spreadsheets = new Map<string, SandboxSpreadsheet>();

  /** Create (or replace) a spreadsheet with empty sheets (default 200 rows × 20 columns each). */
  createSpreadsheet(token: string, sheetIds: readonly string[]): SandboxSpreadsheet {
    const book: SandboxSpreadsheet = { revision: 1, sheets: new Map() };
    for (const id of sheetIds) {
      book.sheets.set(id, {
        cells: new Map(),
        styles: new Map(),
        merges: [],
        rowHeights: new Map(),
        colWidths: new Map(),
        hidden: new Set(),
        frozenRowCount: 0,
        frozenColCount: 0,
        rowCount: 200,
        colCount: 20,
      });
    }
    this.spreadsheets.set(token, book);
    return book;
  }

  /** The sheet, if any. */
  sheet(token: string, sheetId: string): SandboxSheet | undefined {
    return this.spreadsheets.get(token)?.sheets.get(sheetId);
  }

  /** Back to empty. */
  reset(): void {
    this.spreadsheets.clear();
  }
}

/** The Sheets family of `state`, created on first use. */
export function sheetsFamily(state: SandboxState): SheetsFamily {
  let family = state.families.get(SHEETS_FAMILY_KEY) as SheetsFamily | undefined;
  if (!family) {
    const created = new SheetsFamily();
    family = created;
    state.families.set(SHEETS_FAMILY_KEY, created);
    state.onReset(() => created.reset());
  }
  return family;
}
