import { ConfigError } from "../../lib/errors/config_error.ts";
import { journalRows, readJournal } from "./journal.ts";
import { writeChatIdExcel } from "./output.ts";
import type { ChatIdRow } from "./row.ts";

/** Options of {@linkcode outputFromJournal}. */
export interface OutputFromJournalOptions {
  /** The journal (`<output>.journal.ndjson`). */
  journalPath: string;
  /** Excel to write (default: the journal path without `.journal.ndjson`). */
  outputPath?: string;
  /** Contract numbers in output order (default: the order the journal recorded them). */
  numbers?: readonly string[];
  /** Add retry_count, duration_ms, started_at, finished_at columns (default false). */
  extraColumns?: boolean;
}

/** What {@linkcode outputFromJournal} wrote. */
export interface OutputFromJournalResult {
  /** Excel written. */
  outputPath: string;
  /** Rows written. */
  rows: ChatIdRow[];
  /** Contracts of `numbers` the journal has no row for. */
  missing: string[];
}

/**
 * Rerun the output stage alone: write the Excel from the resolve stage's
 * journal, without any network call or credential. Every journal line is
 * checked against its schema; the last row of each contract wins.
 *
 * @example
 * ```ts
 * import { outputFromJournal } from "./output_from_journal.ts";
 * await outputFromJournal({ journalPath: "output/contract_openChatId.xlsx.journal.ndjson" });
 * ```
 */
export async function outputFromJournal(o: OutputFromJournalOptions): Promise<OutputFromJournalResult> {
  const records = await readJournal(o.journalPath);
  if (!records.some((r) => r.type === "run")) {
    throw new ConfigError(`no journal at ${o.journalPath}`, {
      hint: `找不到可用的日志文件 ${o.journalPath}（应为上次运行在输出文件旁写下的 *.journal.ndjson）。`,
    });
  }
  const done = journalRows(records);
  const order = o.numbers ?? [...done.keys()];
  const rows = order.filter((n) => done.has(n)).map((n) => done.get(n)!);
  const outputPath = o.outputPath ?? defaultOutput(o.journalPath);
  await writeChatIdExcel(outputPath, rows, o.extraColumns ?? false);
  return { outputPath, rows, missing: order.filter((n) => !done.has(n)) };
}

function defaultOutput(journalPath: string): string {
  return journalPath.endsWith(".journal.ndjson")
    ? journalPath.slice(0, -".journal.ndjson".length)
    : "output/contract_openChatId.xlsx";
}
