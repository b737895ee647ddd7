/**
 * Worker of {@linkcode readTableIsolated} (internal): started with no
 * permission at all, it parses the bytes it is sent and answers with the table.
 *
 * @module
 */
import { readTable } from "./read_table.ts";

/** A request: the file's bytes and the sheet to read. */
export interface ReadTableRequest {
  /** File bytes (xlsx, xls or csv). */
  bytes: Uint8Array;
  /** Sheet name (default the first). */
  sheetName?: string;
}

/** The answer. */
export type ReadTableResponse =
  | { ok: true; headers: string[]; rows: Record<string, unknown>[] }
  | { ok: false; error: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ReadTableRequest>) => void) | null;
  postMessage(message: ReadTableResponse): void;
};

scope.onmessage = (e) => {
  let res: ReadTableResponse;
  try {
    res = { ok: true, ...readTable(e.data.bytes, e.data.sheetName) };
  } catch (err) {
    res = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(res);
};
