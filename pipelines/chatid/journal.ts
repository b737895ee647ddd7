import { createPrivateFileSync } from "../../lib/fs/private_file.ts";
import type { ChatIdRow } from "./row.ts";

/** The first line of a journal: which run it belongs to. */
export interface JournalHeader {
  /** Record type. */
  type: "run";
  /** Hash of the input contract list; a different list starts a new journal. */
  input_hash: string;
  /** When the run started. */
  started_at: string;
}

/**
 * An NDJSON journal beside the output: one line per finished contract,
 * appended (and flushed) as it completes, so a run stopped by Ctrl+C or
 * `kill -9` resumes without losing or repeating work. Owner-only (0600).
 * Every contract number round-trips exactly (JSON escapes NUL bytes and lone
 * surrogates), so no input line can break a resume.
 */
export class ChatIdJournal {
  /** Path of the journal file. */
  readonly path: string;
  #file?: Deno.FsFile;
  #enc = new TextEncoder();

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
    const done = new Map<string, ChatIdRow>();
    let reuse = false;
    try {
      const text = await Deno.readTextFile(this.path);
      const lines = text.split("\n").filter((l) => l.trim());
      let header: JournalHeader | undefined;
      let completed = false;
      for (const line of lines) {
        let rec: Record<string, unknown>;
        try {
          rec = JSON.parse(line);
        } catch {
          continue; // a line cut short by a kill: that contract simply runs again
        }
        if (rec.type === "run") header = rec as unknown as JournalHeader;
        else if (rec.type === "completed") completed = true;
        else if (rec.type === "row") done.set(String(rec.contract_number), rec.row as ChatIdRow);
      }
      reuse = !!header && header.input_hash === inputHash && !completed;
      if (!reuse) {
        done.clear();
        await Deno.rename(this.path, `${this.path}.${now.getTime()}-${crypto.randomUUID().slice(0, 6)}.old`);
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    createPrivateFileSync(this.path); // 0600: state of the run
    this.#file = await Deno.open(this.path, { append: true });
    if (!reuse) await this.#append({ type: "run", input_hash: inputHash, started_at: now.toISOString() });
    return done;
  }

  /** Append one finished contract. */
  async append(row: ChatIdRow): Promise<void> {
    await this.#append({ type: "row", contract_number: row.contract_number, row });
  }

  /** Mark the run complete (a later run of the same input starts afresh). */
  async complete(): Promise<void> {
    await this.#append({ type: "completed", at: new Date().toISOString() });
  }

  /** Close the file. */
  close(): void {
    try {
      this.#file?.close();
    } catch { /* closed */ }
    this.#file = undefined;
  }

  async #append(rec: unknown): Promise<void> {
    if (!this.#file) throw new Error("journal not open");
    const bytes = this.#enc.encode(JSON.stringify(rec) + "\n");
    let off = 0;
    while (off < bytes.length) off += await this.#file.write(bytes.subarray(off));
  }
}

/** SHA-256 hex of the contract list, used to tell runs apart. */
export async function hashInput(numbers: readonly string[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(numbers.join("\n")));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
