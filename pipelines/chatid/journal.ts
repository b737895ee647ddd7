import { z } from "zod";
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import { NdjsonWriter } from "../../lib/ndjson/ndjson_writer.ts";
import { readNdjson } from "../../lib/ndjson/read_ndjson.ts";
import type { Schema } from "../../lib/validate/schema.ts";
import type { ChatIdRow } from "./row.ts";
import { STATUSES } from "./status.ts";

/** The first line of a journal: which run it belongs to. */
export interface JournalHeader {
  /** Record type. */
  type: "run";
  /** Hash of the input contract list; a different list starts a new journal. */
  input_hash: string;
  /** When the run started. */
  started_at: string;
}

/** One finished contract. */
export interface JournalRow {
  /** Record type. */
  type: "row";
  /** The contract (key of the record). */
  contract_number: string;
  /** The output row. */
  row: ChatIdRow;
}

/** The run finished; a later run of the same input starts afresh. */
export interface JournalCompleted {
  /** Record type. */
  type: "completed";
  /** When. */
  at: string;
}

/** A journal line. */
export type JournalRecord = JournalHeader | JournalRow | JournalCompleted;

const rowSchema: z.ZodType<ChatIdRow> = z.object({
  contract_number: z.string(),
  contract_id: z.string(),
  cooperation_id: z.string(),
  openChatId: z.string(),
  status: z.enum(STATUSES as [ChatIdRow["status"], ...ChatIdRow["status"][]]),
  error_code: z.string(),
  error_message: z.string(),
  retry_count: z.number().int().nonnegative(),
  duration_ms: z.number().nonnegative(),
  started_at: z.string(),
  finished_at: z.string(),
});

/** Schema of an output row (and of the `row` of a journal line). */
export const ChatIdRowSchema: Schema<ChatIdRow> = rowSchema;

/** Schema of a journal line. */
export const JournalRecordSchema: Schema<JournalRecord> = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run"), input_hash: z.string(), started_at: z.string() }),
  z.object({ type: z.literal("row"), contract_number: z.string(), row: rowSchema }),
  z.object({ type: z.literal("completed"), at: z.string() }),
]);

/** Read a journal's lines (torn or invalid lines skipped). */
export function readJournal(path: string): Promise<JournalRecord[]> {
  return readNdjson(path, JournalRecordSchema);
}

/** The finished rows of journal lines (last record per contract wins). */
export function journalRows(records: readonly JournalRecord[]): Map<string, ChatIdRow> {
  const done = new Map<string, ChatIdRow>();
  for (const rec of records) if (rec.type === "row") done.set(rec.contract_number, rec.row);
  return done;
}

/**
 * An NDJSON journal beside the output: one line per finished contract,
 * appended as it completes (the shared {@linkcode NdjsonWriter}, every line
 * checked against {@linkcode JournalRecordSchema}), so a run stopped by
 * Ctrl+C or `kill -9` resumes without losing or repeating work, and the
 * output stage can be replayed from the journal alone.
 */
export class ChatIdJournal {
  /** Path of the journal file. */
  readonly path: string;
  #out?: NdjsonWriter<JournalRecord>;

  /** Journal at `path` (e.g. `output/contract_openChatId.xlsx.journal.ndjson`). */
  constructor(path: string) {
    this.path = path;
  }

  /**
   * Open for a run over `inputHash`. Returns the rows already finished by an
   * unfinished earlier run of the same input (last record per contract wins);
   * a journal of another input, or of a run that completed, is moved aside
   * to `<path>.<timestamp>.old` and a new one started.
   */
  async open(inputHash: string, now = new Date()): Promise<Map<string, ChatIdRow>> {
    const records = await readJournal(this.path);
    const header = records.find((r): r is JournalHeader => r.type === "run");
    const completed = records.some((r) => r.type === "completed");
    const reuse = !!header && header.input_hash === inputHash && !completed;
    if (!reuse) await moveAside(this.path, now);
    this.#out = new NdjsonWriter(this.path, { schema: JournalRecordSchema });
    if (!reuse) this.#append({ type: "run", input_hash: inputHash, started_at: now.toISOString() });
    return reuse ? journalRows(records) : new Map();
  }

  /** Append one finished contract. */
  append(row: ChatIdRow): Promise<void> {
    this.#append({ type: "row", contract_number: row.contract_number, row });
    return Promise.resolve();
  }

  /** Mark the run complete (a later run of the same input starts afresh). */
  complete(): Promise<void> {
    this.#append({ type: "completed", at: new Date().toISOString() });
    return Promise.resolve();
  }

  /** Close the file. */
  close(): void {
    this.#out?.close();
    this.#out = undefined;
  }

  #append(rec: JournalRecord): void {
    if (!this.#out) throw new Error("journal not open");
    this.#out.append(rec);
  }
}

/** Move an old journal to `<path>.<timestamp>.old` (nothing to do when there is none). */
async function moveAside(path: string, now: Date): Promise<void> {
  try {
    await Deno.rename(path, `${path}.${now.getTime()}-${crypto.randomUUID().slice(0, 6)}.old`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** SHA-256 hex of the contract list, used to tell runs apart. */
export function hashInput(numbers: readonly string[]): Promise<string> {
  return sha256Hex(new TextEncoder().encode(numbers.join("\n")));
}
