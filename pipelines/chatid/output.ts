import { writeXlsx } from "../../lib/excel/write_xlsx.ts";
import { readInputBytes, readWorkbookTable } from "./_input_bytes.ts";
import { BASE_COLUMNS, type ChatIdRow, EXTRA_COLUMNS } from "./row.ts";
import type { ChatIdStatus } from "./status.ts";

/** Write rows (in the given order) to the Excel output, atomically. */
export async function writeChatIdExcel(
  path: string,
  rows: readonly ChatIdRow[],
  extraColumns: boolean,
): Promise<void> {
  const columns = extraColumns ? [...BASE_COLUMNS, ...EXTRA_COLUMNS] : [...BASE_COLUMNS];
  await writeXlsx(path, [{
    name: "openChatId",
    columns,
    rows: rows as unknown as Record<string, unknown>[],
  }]);
}

/** Read an earlier output back as rows (for `--retry-failed`). */
export async function readChatIdExcel(path: string): Promise<ChatIdRow[]> {
  const table = await readWorkbookTable(await readInputBytes(path, "上次输出文件"), path);
  return table.rows.map((r) => ({
    contract_number: str(r.contract_number),
    contract_id: str(r.contract_id),
    cooperation_id: str(r.cooperation_id),
    openChatId: str(r.openChatId),
    status: (str(r.status) || "UNKNOWN_ERROR") as ChatIdStatus,
    error_code: str(r.error_code),
    error_message: str(r.error_message),
    retry_count: Number(r.retry_count ?? 0) || 0,
    duration_ms: Number(r.duration_ms ?? 0) || 0,
    started_at: str(r.started_at),
    finished_at: str(r.finished_at),
  }));
}

function str(v: unknown): string {
  return v === null || v === undefined ? "" : String(v).trim();
}
