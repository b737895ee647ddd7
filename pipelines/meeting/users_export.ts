import { atomicWriteFile, ensureParentDir } from "../../lib/fs/atomic_write.ts";
import { buildXlsx, type SheetData } from "../../lib/excel/write_xlsx.ts";

/** One user of the directory, as `deno task meeting:users` exports them. */
export interface DirectoryRow {
  /** Tenant user id. */
  user_id: string;
  /** Name. */
  name: string;
  /** Email, when visible to the app. */
  email?: string;
  /** Department names (or department objects with a name). */
  departments: readonly (string | { name: string })[];
}

/**
 * Columns of the export. `文件夹` is left empty: fill it in and point
 * `nas.mapping_file` at the file to override personal folders.
 */
export const USER_EXPORT_COLUMNS: readonly string[] = ["user_id", "姓名", "邮箱", "部门", "文件夹"];

/** Options of {@linkcode exportUsers}. */
export interface ExportUsersOptions {
  /** `xlsx` or `csv` (default: from the path's extension, xlsx otherwise). */
  format?: "xlsx" | "csv";
  /** Sheet name (default `通讯录`). */
  sheetName?: string;
}

/** What {@linkcode exportUsers} wrote. */
export interface ExportUsersResult {
  /** File written. */
  path: string;
  /** Format used. */
  format: "xlsx" | "csv";
  /** Users written. */
  rows: number;
}

/** The export as one sheet (rows sorted by department then name, as a directory reads). */
export function usersSheet(rows: readonly DirectoryRow[], sheetName = "通讯录"): SheetData {
  const records = rows.map((r) => ({
    "user_id": r.user_id,
    "姓名": r.name,
    "邮箱": r.email ?? "",
    "部门": r.departments.map((d) => typeof d === "string" ? d : d.name).filter(Boolean).join("；"),
    "文件夹": "",
  }));
  records.sort((a, b) =>
    a["部门"].localeCompare(b["部门"], "zh") || a["姓名"].localeCompare(b["姓名"], "zh")
  );
  return { name: sheetName, columns: USER_EXPORT_COLUMNS, rows: records };
}

/**
 * The export as CSV bytes for Excel: UTF-8 with a byte-order mark (so Excel
 * reads Chinese correctly), CRLF line ends, RFC 4180 quoting, and cells that
 * Excel would run as a formula (`=`, `+`, `-`, `@` first) prefixed with `'`.
 */
export function usersCsv(rows: readonly DirectoryRow[]): Uint8Array {
  const sheet = usersSheet(rows);
  const lines = [sheet.columns.map(csvCell).join(",")];
  for (const r of sheet.rows) lines.push(sheet.columns.map((c) => csvCell(String(r[c] ?? ""))).join(","));
  return new TextEncoder().encode("\ufeff" + lines.join("\r\n") + "\r\n");
}

/**
 * Write the directory export (`deno task meeting:users`) to `path`
 * atomically, as xlsx or CSV.
 *
 * @example
 * ```ts
 * await exportUsers([{ user_id: "u1", name: "张三", email: "z@x.cn", departments: ["研发部"] }], "output/users.xlsx");
 * ```
 */
export async function exportUsers(
  rows: readonly DirectoryRow[],
  path: string,
  options: ExportUsersOptions = {},
): Promise<ExportUsersResult> {
  const format = options.format ?? (/\.csv$/i.test(path) ? "csv" : "xlsx");
  const bytes = format === "csv" ? usersCsv(rows) : buildXlsx([usersSheet(rows, options.sheetName)]);
  await ensureParentDir(path);
  await atomicWriteFile(path, bytes);
  return { path, format, rows: rows.length };
}

function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
