import * as XLSX from "xlsx";

/** A table read from a spreadsheet or CSV file. */
export interface Table {
  /** Header row, trimmed. */
  headers: string[];
  /** Data rows keyed by header. */
  rows: Record<string, unknown>[];
}

/**
 * Read the first sheet of an `.xlsx`/`.xls`/`.csv` file (bytes) as a table
 * whose first row is the header. Dates come back as `Date` objects (UTC).
 */
export function readTable(bytes: Uint8Array, sheetName?: string): Table {
  const wb = XLSX.read(
    bytes,
    { type: "array", dense: true, cellDates: true, UTC: true } as XLSX.ParsingOptions,
  );
  const name = sheetName ?? wb.SheetNames[0];
  const ws = wb.Sheets[name];
  if (!ws) return { headers: [], rows: [] };
  const aoa = XLSX.utils.sheet_to_json<unknown[]>(
    ws,
    { header: 1, raw: true, defval: null, UTC: true } as XLSX.Sheet2JSONOpts,
  );
  const headers = ((aoa[0] ?? []) as unknown[]).map((h) => String(h ?? "").trim());
  const rows: Record<string, unknown>[] = [];
  for (const line of aoa.slice(1)) {
    const r: Record<string, unknown> = {};
    let empty = true;
    headers.forEach((h, i) => {
      const v = (line as unknown[])[i] ?? null;
      if (v !== null && v !== "") empty = false;
      if (h) r[h] = v;
    });
    if (!empty) rows.push(r);
  }
  return { headers, rows };
}
