/**
 * The merge step of a run (internal): merge the covering windows' files
 * unless `merge.json` says the merged file already holds exactly them; then
 * verify ({@linkcode mergeThenVerify}, shared by `runExport` and `rerunStage`).
 *
 * @module
 */
import { sha256File } from "../../lib/encoding/sha256_file.ts";
import type { Logger } from "../../lib/log/logger.ts";
import type { ExportConfig } from "./config.ts";
import type { ExportLedger } from "./ledger.ts";
import { mergeWindowFiles } from "./merge.ts";
import {
  type MergeSummary,
  mergeSummary,
  mergeUpToDate,
  readMergeSummary,
  writeMergeSummary,
} from "./merge_summary.ts";
import { renderFileName } from "./naming.ts";
import type { FileStats } from "./parse_files.ts";
import { type VerifyReport, verifyRun } from "./verify.ts";
import type { ExportWindow } from "./window.ts";

/** What the merge step produced. */
export interface MergeStep {
  /** The merged workbook. */
  mergedPath: string;
  /** `merge.json` contents. */
  summary: MergeSummary;
  /** Per-window statistics when a merge ran now (verify reuses them). */
  stats?: Map<number, { stats?: FileStats; error?: string }>;
}

/** Merge the files of `windows` (those covering days, with a file) into the run directory. */
export async function mergeStep(a: {
  config: ExportConfig;
  runDir: string;
  range: { start: string; end: string };
  windows: readonly ExportWindow[];
  settings: unknown;
  now: number;
  logger: Logger;
  signal?: AbortSignal;
}): Promise<MergeStep> {
  const c = a.config;
  const leaves = a.windows.filter((w) => w.state !== "split" && w.filePath).sort((x, y) =>
    x.start.localeCompare(y.start) || x.id - y.id
  );
  const mergedPath = `${a.runDir}/${renderFileName(c.output.merged_template, a.range)}`;
  const settings = JSON.stringify({ ...(a.settings as object), sqlite: c.output.sqlite_table });
  const summaryPath = `${a.runDir}/merge.json`;
  const previous = await readMergeSummary(summaryPath);
  const fingerprints = leaves.map((w) => ({ window_id: w.id, sha256: w.sha256 }));
  if (previous && await mergeUpToDate(previous, fingerprints, settings, mergedPath)) {
    return { mergedPath, summary: previous };
  }
  const merged = await mergeWindowFiles({
    inputs: leaves.map((w) => ({ windowId: w.id, start: w.start, end: w.end, path: w.filePath! })),
    outputPath: mergedPath,
    keyColumn: c.merge.key_column,
    sourceColumn: c.merge.source_column,
    dateColumns: c.merge.date_columns,
    tzOffsetMinutes: c.tz_offset_minutes,
    requiredColumns: c.verify.required_columns,
    windowDateColumn: c.verify.window_date_column,
    workers: c.merge.workers,
    sqlitePath: c.output.sqlite_table ? `${a.runDir}/merged.sqlite` : undefined,
    signal: a.signal,
  });
  const summary = mergeSummary(
    merged,
    leaves.map((w) => ({ window_id: w.id, path: w.filePath!, sha256: w.sha256, rows: w.rowsInFile })),
    await sha256File(mergedPath),
    settings,
    a.now,
  );
  await writeMergeSummary(summaryPath, summary);
  a.logger.info("merged", {
    rows_in: merged.rowsIn,
    rows_out: merged.rowsOut,
    duplicates: merged.duplicates,
  });
  return {
    mergedPath,
    summary,
    stats: new Map(merged.files.map((f) => [f.windowId, { stats: f.stats, error: f.error }])),
  };
}

/** Merge the ledger's windows, then verify the run (windows that pass become `verified`). */
export async function mergeThenVerify(a: {
  config: ExportConfig;
  runDir: string;
  range: { start: string; end: string };
  ledger: ExportLedger;
  settings: unknown;
  now: () => number;
  logger: Logger;
  signal?: AbortSignal;
  /** Before each of the two steps. */
  onStep?: (step: "merge" | "verify") => void;
}): Promise<{ mergedPath: string; verify: VerifyReport }> {
  const c = a.config;
  a.onStep?.("merge");
  const merged = await mergeStep({
    config: c,
    runDir: a.runDir,
    range: a.range,
    windows: a.ledger.list(),
    settings: a.settings,
    now: a.now(),
    logger: a.logger,
    signal: a.signal,
  });
  a.onStep?.("verify");
  const verify = await verifyRun({
    ledger: a.ledger,
    range: a.range,
    cap: c.plan.row_cap,
    requiredColumns: c.verify.required_columns,
    dateColumns: c.merge.date_columns,
    windowDateColumn: c.verify.window_date_column,
    tzOffsetMinutes: c.tz_offset_minutes,
    merge: merged.summary,
    stats: merged.stats,
    outDir: a.runDir,
    workers: c.merge.workers,
    signal: a.signal,
    now: a.now,
  });
  return { mergedPath: merged.mergedPath, verify };
}
