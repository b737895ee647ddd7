/**
 * Parse window files in a pool of Web Workers that may only read the
 * files' folder (see `merge_worker.ts`). Used by merge (rows + statistics)
 * and verify (statistics only).
 *
 * @module
 */
import { restrictedWorker } from "../../lib/worker/restricted_worker.ts";

/** Files one worker parses before it is replaced by a fresh one. */
const RECYCLE_AFTER = 12;

/** What to compute for each file. */
export interface ParseOptions {
  /** Columns turned into wall-clock dates. */
  dateColumns: string[];
  /** Columns that must not be empty (counted per file). */
  requiredColumns: string[];
  /** A date column whose day must fall inside the file's window ("" = no check). */
  windowDateColumn: string;
  /** Zone of epoch-based dates, minutes (-480 = UTC+8). */
  tzOffsetMinutes: number;
  /** Return the rows too (merge) or only statistics (verify). */
  keepRows: boolean;
  /** Read the header row only (fast; `rows` is then 0). */
  headerOnly?: boolean;
}

/** One file to parse. */
export interface ParseInput {
  /** Path of the xlsx file. */
  path: string;
  /** First day of its window. */
  start: string;
  /** Last day of its window. */
  end: string;
}

/** A message to the worker. */
export interface ParseRequest extends ParseInput {
  /** Sequence number. */
  id: number;
  /** What to compute. */
  options: ParseOptions;
}

/** Statistics of one file. */
export interface FileStats {
  /** Header row, trimmed. */
  headers: string[];
  /** Data rows (blank rows skipped). */
  rows: number;
  /** File size. */
  bytes: number;
  /** Required columns the header lacks. */
  missingRequired: string[];
  /** Rows with an empty value, per required column. */
  emptyRequired: Record<string, number>;
  /** Rows whose window date column lies outside the window. */
  outOfWindow: number;
  /** Earliest day in the window date column. */
  dateMin?: string;
  /** Latest day in the window date column. */
  dateMax?: string;
}

/** The worker's answer. */
export type ParseResponse =
  | { id: number; ok: true; stats: FileStats; rows?: unknown[][] }
  | { id: number; ok: false; error: string };

/** A parsed file (or why it could not be parsed). */
export interface ParsedFile extends ParseInput {
  /** Statistics, when the file opened. */
  stats?: FileStats;
  /** Rows in header order, when asked for. */
  rows?: unknown[][];
  /** Why the file could not be parsed. */
  error?: string;
}

/** Pool settings. */
export interface PoolOptions {
  /** Workers (default 2). */
  workers?: number;
  /** Folders the workers may read (default: the folders of the inputs). */
  readDirs?: string[];
  /** Stop early: running workers are terminated. */
  signal?: AbortSignal;
  /** Called as each file finishes (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Parse `inputs` with `options` in up to `workers` read-only workers.
 * Results come back in input order; a file that does not open has `error`.
 */
export async function parseFiles(
  inputs: readonly ParseInput[],
  options: ParseOptions,
  pool: PoolOptions = {},
): Promise<ParsedFile[]> {
  const out: ParsedFile[] = [];
  await parseFilesInOrder(inputs, options, pool, (f) => {
    out.push(f);
    return Promise.resolve();
  });
  return out;
}

/**
 * Like {@linkcode parseFiles} but hands each file to `deliver` in input
 * order as soon as it and all before it are parsed, keeping at most about
 * two files per worker in memory (for streaming merges).
 */
export async function parseFilesInOrder(
  inputs: readonly ParseInput[],
  options: ParseOptions,
  pool: PoolOptions,
  deliver: (file: ParsedFile, index: number) => Promise<void>,
): Promise<void> {
  if (inputs.length === 0) return;
  pool.signal?.throwIfAborted();
  const dirs = pool.readDirs ?? [...new Set(inputs.map((i) => dirOf(i.path)))];
  const n = Math.max(1, Math.min(pool.workers ?? 2, inputs.length));
  const ahead = n * 2;
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const ready = new Map<number, ParsedFile>();
  let next = 0;
  let delivered = 0;
  let done = 0;
  let delivering = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (e: unknown) => reject(e);
      const onAbort = () => fail(pool.signal!.reason);
      pool.signal?.addEventListener("abort", onAbort, { once: true });
      const feed = () => {
        while (idle.length && next < inputs.length && next - delivered < ahead) {
          const id = next++;
          idle.pop()!.postMessage({ ...inputs[id], id, options } satisfies ParseRequest);
        }
      };
      const drain = async () => {
        if (delivering) return;
        delivering = true;
        try {
          while (ready.has(delivered)) {
            const f = ready.get(delivered)!;
            ready.delete(delivered);
            await deliver(f, delivered);
            delivered++;
            feed();
          }
        } catch (e) {
          fail(e);
          return;
        } finally {
          delivering = false;
        }
        if (delivered === inputs.length) {
          pool.signal?.removeEventListener("abort", onAbort);
          resolve();
        }
      };
      const spawn = (): Worker => {
        const w = spawnParseWorker(dirs);
        workers.push(w);
        let served = 0;
        w.onmessage = (e: MessageEvent<ParseResponse>) => {
          const r = e.data;
          const f: ParsedFile = { ...inputs[r.id] };
          if (r.ok) {
            f.stats = r.stats;
            f.rows = r.rows;
          } else f.error = r.error;
          ready.set(r.id, f);
          done++;
          pool.onProgress?.(done, inputs.length);
          // V8 lets a worker's heap grow long before collecting it; a fresh
          // worker every RECYCLE_AFTER files keeps memory flat.
          if (++served >= RECYCLE_AFTER && next < inputs.length) {
            w.terminate();
            idle.push(spawn());
          } else idle.push(w);
          feed();
          void drain();
        };
        w.onerror = (e) => {
          e.preventDefault();
          fail(new Error(`merge worker failed: ${e.message}`));
        };
        return w;
      };
      for (let k = 0; k < n; k++) idle.push(spawn());
      feed();
    });
  } finally {
    for (const w of workers) w.terminate();
  }
}

/**
 * Start one parse worker (`merge_worker.ts`) that may read `readDirs` and
 * nothing else: no write, net, env, run, ffi, sys or import.
 */
export function spawnParseWorker(readDirs: readonly string[]): Worker {
  return restrictedWorker(new URL("./merge_worker.ts", import.meta.url), { read: readDirs });
}

/**
 * A read-only parse worker another Worker can use: the worker (read access
 * to `readDirs` only) is started here and answers on `port`, which is
 * transferred to the other Worker (a {@linkcode FileParser} over it). The
 * other Worker then needs no read access to this code or the xlsx library.
 */
export function parsePort(readDirs: readonly string[]): { port: MessagePort; close(): void } {
  const worker = spawnParseWorker(readDirs);
  const channel = new MessageChannel();
  worker.postMessage({ port: channel.port1 }, [channel.port1]);
  return { port: channel.port2, close: () => worker.terminate() };
}

/**
 * One long-lived read-only parse worker for files that arrive one at a time
 * (the collect stage checks each download as it lands). Started on first
 * use; {@linkcode FileParser.close} ends it. Over a port from
 * {@linkcode parsePort}, it uses that worker instead.
 */
export class FileParser {
  #source: readonly string[] | MessagePort;
  #worker?: Worker | MessagePort;
  #seq = 0;
  #waiting = new Map<
    number,
    { input: ParseInput; resolve: (f: ParsedFile) => void; reject: (e: Error) => void }
  >();

  /** A parser whose worker may read `readDirs` only, or one over a {@linkcode parsePort} port. */
  constructor(source: readonly string[] | MessagePort) {
    this.#source = source;
  }

  /** Parse one file (a file that does not open comes back with `error`). */
  parse(input: ParseInput, options: ParseOptions): Promise<ParsedFile> {
    const w = this.#worker ??= this.#start();
    const id = this.#seq++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { input, resolve, reject });
      w.postMessage({ ...input, id, options } satisfies ParseRequest);
    });
  }

  /** Stop the worker (close the port); pending parses fail. */
  close(): void {
    if (this.#worker instanceof Worker) this.#worker.terminate();
    else this.#worker?.close();
    this.#worker = undefined;
    for (const p of this.#waiting.values()) p.reject(new Error("parser closed"));
    this.#waiting.clear();
  }

  #start(): Worker | MessagePort {
    const w = this.#source instanceof MessagePort ? this.#source : spawnParseWorker(this.#source);
    w.onmessage = (e: MessageEvent<ParseResponse>) => {
      const r = e.data;
      const p = this.#waiting.get(r.id);
      if (!p) return;
      this.#waiting.delete(r.id);
      p.resolve(r.ok ? { ...p.input, stats: r.stats, rows: r.rows } : { ...p.input, error: r.error });
    };
    if (w instanceof Worker) {
      w.onerror = (e) => {
        e.preventDefault();
        const pending = [...this.#waiting.values()];
        this.#waiting.clear();
        this.close();
        for (const p of pending) p.reject(new Error(`parse worker failed: ${e.message}`));
      };
    }
    return w;
  }
}

function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i > 0 ? path.slice(0, i) : ".";
}
