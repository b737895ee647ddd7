import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { ChatIdJournal, hashInput } from "./journal.ts";
import { keepBetterOutput, type KeepBetterResult } from "./keep_better_output.ts";
import { writeChatIdExcel } from "./output.ts";
import type { FatalRunError, ResolveDeps } from "./resolve.ts";
import { inProcessResolver, type Resolver } from "./resolver.ts";
import type { ChatIdRow } from "./row.ts";
import { type ChatIdSummary, summarize } from "./summary.ts";

/** Options of {@linkcode runChatId}. */
export interface ChatIdRunOptions {
  /** Contract numbers to process, in output order. */
  numbers: readonly string[];
  /** Excel output path. */
  outputPath: string;
  /** Add retry_count, duration_ms, started_at, finished_at columns (default false). */
  extraColumns?: boolean;
  /** Contracts processed at once (default 1). */
  concurrency?: number;
  /** APIs and clock. */
  deps: ResolveDeps;
  /** Runs the resolve stage (default: in this thread over `deps`; the script uses a network-only Worker). */
  resolver?: Resolver;
  /** Journal path (default `<outputPath>.journal.ndjson`). */
  journalPath?: string;
  /**
   * Rows of an earlier output (`--retry-failed`): kept as they are unless
   * their contract is in `numbers`, in which case the new result replaces them.
   */
  previous?: readonly ChatIdRow[];
  /** Ctrl+C: stop starting contracts, write what is done. */
  signal?: AbortSignal;
  /** Progress callback (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Throttling answers seen so far (summed over the HTTP clients; default: what the resolver counted). */
  throttled?: () => number;
  /**
   * Retries made so far by every client (token refreshes included); the
   * summary reports how many this run added. Default: the rows' retry counts.
   */
  retries?: () => number;
  /**
   * Replace an existing output even when it is better than this result
   * (default false: a better one is first copied to `.bak`).
   */
  force?: boolean;
  /** Logger. */
  logger?: Logger;
}

/** What a run produced. */
export interface ChatIdRunResult {
  /** Rows written, in output order. */
  rows: ChatIdRow[];
  /** Figures. */
  summary: ChatIdSummary;
  /** Contracts resumed from the journal instead of being called again. */
  resumed: number;
  /** Set when a credential failure stopped the run. */
  fatal?: FatalRunError;
  /** True when the signal stopped the run. */
  aborted: boolean;
  /** Excel path written. */
  outputPath: string;
  /** What happened to an existing output (backup path and a note), if there was one. */
  previousOutput?: KeepBetterResult;
}

/**
 * Resolve every contract, journaling each as it finishes, then write the
 * Excel atomically. Resumes an unfinished journal of the same input; rows
 * that failed for credentials (AUTH_FAILED) are tried again on resume.
 */
export async function runChatId(o: ChatIdRunOptions): Promise<ChatIdRunResult> {
  const log = o.logger ?? silentLogger;
  const started = o.deps.clock.now();
  const retriesAtStart = o.retries?.() ?? 0;
  const journal = new ChatIdJournal(o.journalPath ?? `${o.outputPath}.journal.ndjson`);
  const done = await journal.open(await hashInput(o.numbers));
  for (const [k, r] of done) if (r.status === "AUTH_FAILED") done.delete(k);
  const resumed = o.numbers.filter((n) => done.has(n)).length;
  if (resumed) log.info("resume", { resumed, journal: journal.path });
  const todo = o.numbers.filter((n) => !done.has(n));
  const durations: number[] = [];
  let retries = 0;
  const total = o.numbers.length;
  o.onProgress?.(done.size, total);
  const onRow = (row: ChatIdRow, fatal: boolean) => {
    done.set(row.contract_number, row);
    void journal.append(row);
    if (fatal) return;
    durations.push(row.duration_ms);
    retries += row.retry_count;
    log.info("contract_done", {
      contract_number: row.contract_number,
      status: row.status,
      duration_ms: row.duration_ms,
      retry_count: row.retry_count,
      error_code: row.error_code || undefined,
    });
    o.onProgress?.(done.size, total);
  };
  let stage;
  try {
    const resolver = o.resolver ?? inProcessResolver(o.deps);
    stage = await resolver.resolve(todo, {
      concurrency: o.concurrency ?? 1,
      signal: o.signal ?? new AbortController().signal,
      onRow,
    });
  } catch (e) {
    journal.close();
    throw e;
  }
  const fatal = stage.fatal;
  const aborted = !!o.signal?.aborted;
  const rows = mergeRows(o.numbers, done, o.previous);
  let previousOutput: KeepBetterResult | undefined;
  try {
    previousOutput = await keepBetterOutput(o.outputPath, rows, { force: o.force });
    await writeChatIdExcel(o.outputPath, rows, o.extraColumns ?? false);
    if (!fatal && !aborted) await journal.complete();
  } finally {
    journal.close();
  }
  const summary = summarize(rows, durations, {
    throttled: o.throttled ? o.throttled() : stage.throttled,
    retries: o.retries ? o.retries() - retriesAtStart : retries,
    elapsedMs: o.deps.clock.now() - started,
  });
  return { rows, summary, resumed, fatal, aborted, outputPath: o.outputPath, previousOutput };
}

/** Output rows: previous rows (retry-failed) with new results replacing theirs, else input order. */
function mergeRows(
  numbers: readonly string[],
  done: Map<string, ChatIdRow>,
  previous: readonly ChatIdRow[] | undefined,
): ChatIdRow[] {
  if (!previous) return numbers.filter((n) => done.has(n)).map((n) => done.get(n)!);
  return previous.map((r) => done.get(r.contract_number) ?? r);
}
