/**
 * Worker that parses window files for merge and verify. It is started with
 * read permission on the files' folder only (no write, net, env, run, ffi,
 * sys or import), reads one xlsx per message, normalises the date columns
 * and answers with the header, statistics and (when asked) the rows.
 * Sent `{ port }` (a `MessagePort`), it answers the requests that come on
 * that port too: another Worker (the collect stage) parses through it.
 *
 * @module
 */
import * as XLSX from "xlsx";
import { isEmptyCell, toWallDate, wallDay } from "./_cells.ts";
import type { ParseRequest, ParseResponse } from "./parse_files.ts";

function parse(req: ParseRequest, bytes: Uint8Array): ParseResponse {
  const wb = XLSX.read(bytes, {
    type: "array",
    dense: true,
    cellDates: true,
    UTC: true,
    cellText: false,
    cellHTML: false,
    cellFormula: false,
    cellNF: false,
    cellStyles: false,
    sheetRows: req.options.headerOnly ? 1 : 0,
  } as XLSX.ParsingOptions);
  const ws = wb.Sheets[wb.SheetNames[0]];
  const aoa = ws
    ? XLSX.utils.sheet_to_json<unknown[]>(
      ws,
      { header: 1, raw: true, defval: null, UTC: true } as XLSX.Sheet2JSONOpts,
    )
    : [];
  const headers = ((aoa[0] ?? []) as unknown[]).map((h) => String(h ?? "").trim());
  const o = req.options;
  const dateIdx = headers.flatMap((h, i) => (o.dateColumns.includes(h) ? [i] : []));
  const windowIdx = o.windowDateColumn ? headers.indexOf(o.windowDateColumn) : -1;
  const required = o.requiredColumns.map((c) => headers.indexOf(c));
  const emptyRequired: Record<string, number> = {};
  for (const c of o.requiredColumns) emptyRequired[c] = 0;
  const rows: unknown[][] = [];
  let count = 0;
  let outOfWindow = 0;
  let dateMin: string | undefined;
  let dateMax: string | undefined;
  for (let r = 1; r < aoa.length; r++) {
    const line = aoa[r] as unknown[];
    const row: unknown[] = headers.map((_, i) => (isEmptyCell(line[i]) ? null : line[i]));
    if (row.every(isEmptyCell)) continue;
    count++;
    for (const i of dateIdx) row[i] = toWallDate(row[i], o.tzOffsetMinutes);
    required.forEach((i, k) => {
      if (i < 0 || isEmptyCell(row[i])) emptyRequired[o.requiredColumns[k]]++;
    });
    if (windowIdx >= 0) {
      const day = wallDay(toWallDate(row[windowIdx], o.tzOffsetMinutes));
      if (day) {
        if (!dateMin || day < dateMin) dateMin = day;
        if (!dateMax || day > dateMax) dateMax = day;
        if (day < req.start || day > req.end) outOfWindow++;
      }
    }
    if (o.keepRows) rows.push(row);
  }
  return {
    id: req.id,
    ok: true,
    stats: {
      headers,
      rows: count,
      bytes: bytes.length,
      missingRequired: o.requiredColumns.filter((c) => !headers.includes(c)),
      emptyRequired,
      outOfWindow,
      dateMin,
      dateMax,
    },
    rows: o.keepRows ? rows : undefined,
  };
}

async function answer(req: ParseRequest): Promise<ParseResponse> {
  try {
    return parse(req, await Deno.readFile(req.path));
  } catch (err) {
    return { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ParseRequest | { port: MessagePort }>) => void) | null;
  postMessage(message: ParseResponse): void;
};

scope.onmessage = async (e) => {
  const msg = e.data;
  if ("port" in msg) {
    const port = msg.port;
    port.onmessage = async (m: MessageEvent<ParseRequest>) => port.postMessage(await answer(m.data));
    return;
  }
  scope.postMessage(await answer(msg));
};
