/**
 * The typed NDJSON files that chain the stages in a run directory. Each
 * stage appends one line per event as it happens (synchronous appends, so a
 * kill loses at most the line being written); the next stages and the
 * report read them back, skipping a torn last line. Window state itself
 * lives in the SQLite ledger.
 *
 * @module
 */

/** File names in the run directory. */
export const STAGE_FILES = {
  plan: "plan.ndjson",
  request: "request.ndjson",
  count: "count.ndjson",
  collect: "collect.ndjson",
  windows: "windows.ndjson",
} as const;

/** A window the planner added. */
export interface PlanRecord {
  /** Record type. */
  type: "plan";
  /** When (ISO). */
  at: string;
  /** Window id. */
  window_id: number;
  /** First day. */
  start: string;
  /** Last day. */
  end: string;
  /** Split window it is a part of. */
  parent_id: number | null;
  /** How its length was chosen. */
  basis: string;
  /** Records expected. */
  estimate: number | null;
  /** Density used (records/day). */
  density: number | null;
}

/** One export call. */
export interface RequestRecord {
  /** Record type. */
  type: "request";
  /** When (ISO). */
  at: string;
  /** Window id. */
  window_id: number;
  /** First day. */
  start: string;
  /** Last day. */
  end: string;
  /** `ok` / `split` / `overcap` / `error` / `paused`. */
  outcome: "ok" | "split" | "overcap" | "unknown_total" | "error" | "paused";
  /** Task id. */
  task_id?: string;
  /** Declared total. */
  total?: number;
  /** HTTP attempts of this call. */
  attempts?: number;
  /** Wall time, ms. */
  elapsed_ms?: number;
  /** Error kind and Chinese message. */
  error?: { kind: string; message: string };
}

/** One count query (only with a count source, `count.curl`). */
export interface CountRecord {
  /** Record type. */
  type: "count";
  /** When (ISO). */
  at: string;
  /** First day. */
  start?: string;
  /** Last day. */
  end?: string;
  /** `ok` answered; `error` failed (planned without counts this time); `paused` the run paused; `disabled` counts switched off. */
  outcome: "ok" | "error" | "paused" | "disabled";
  /** Records in range. */
  total?: number;
  /** HTTP attempts of this call. */
  attempts?: number;
  /** Wall time, ms. */
  elapsed_ms?: number;
  /** Error kind and Chinese message, or why counts were switched off. */
  error?: { kind: string; message: string };
}

/** One collect event. */
export interface CollectRecord {
  /** Record type. */
  type: "notice" | "download" | "timeout" | "bad_file";
  /** When (ISO). */
  at: string;
  /** Window id. */
  window_id: number;
  /** Message id. */
  message_id?: string;
  /** How the notice was matched. */
  matched_by?: string;
  /** Saved file. */
  file?: string;
  /** File size. */
  bytes?: number;
  /** Data rows. */
  rows?: number;
  /** Error text. */
  error?: string;
}

/** The per-window log line of the report. */
export interface WindowRecord {
  /** Record type. */
  type: "window";
  /** When (ISO). */
  at: string;
  /** Window id. */
  window_id: number;
  /** `YYYY-MM-DD 至 YYYY-MM-DD`. */
  range: string;
  /** State. */
  state: string;
  /** Declared total. */
  declared_total: number | null;
  /** Rows in the file. */
  rows: number | null;
  /** File path. */
  file: string | null;
  /** Failure reason. */
  error: string | null;
}

/** Appends typed records to one NDJSON file. */
export class NdjsonLog<T> {
  /** File path. */
  readonly path: string;
  #file: Deno.FsFile;
  #enc = new TextEncoder();

  /** Open `path` for appending (created if missing). */
  constructor(path: string) {
    this.path = path;
    this.#file = Deno.openSync(path, { create: true, append: true });
  }

  /** Append one record (synchronously). */
  append(record: T): void {
    const bytes = this.#enc.encode(JSON.stringify(record) + "\n");
    let off = 0;
    while (off < bytes.length) off += this.#file.writeSync(bytes.subarray(off));
  }

  /** Close the file. */
  close(): void {
    try {
      this.#file.close();
    } catch { /* closed */ }
  }
}

/** Read an NDJSON file (missing file = no records; unreadable lines are skipped). */
export async function readNdjson<T>(path: string): Promise<T[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  const out: T[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch { /* a line cut short by a kill */ }
  }
  return out;
}
