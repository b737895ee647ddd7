import { restrictedWorker } from "../worker/restricted_worker.ts";
import type { Table } from "./read_table.ts";
import type { ReadTableRequest, ReadTableResponse } from "./_read_table_worker.ts";

/**
 * {@linkcode readTable} in a Web Worker that has no permission at all (no
 * read, write, net, env, run, ffi, sys or import): the spreadsheet parser
 * only ever sees the bytes it is handed, so a crafted file cannot reach the
 * disk, the network or the environment. Use it for every file that comes
 * from outside (user input, downloads). Throws `SyntaxError` when the bytes
 * do not parse.
 *
 * @example
 * ```ts
 * import { readTableIsolated } from "./read_table_isolated.ts";
 * const table = await readTableIsolated(new TextEncoder().encode("contract_number\nHT-1\n"));
 * table.rows[0].contract_number; // "HT-1"
 * ```
 */
export async function readTableIsolated(bytes: Uint8Array, sheetName?: string): Promise<Table> {
  const worker = restrictedWorker(new URL("./_read_table_worker.ts", import.meta.url));
  try {
    const res = await new Promise<ReadTableResponse>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<ReadTableResponse>) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`spreadsheet worker failed: ${e.message}`));
      };
      worker.postMessage({ bytes, sheetName } satisfies ReadTableRequest);
    });
    if (!res.ok) throw new SyntaxError(res.error);
    return { headers: res.headers, rows: res.rows };
  } finally {
    worker.terminate();
  }
}
