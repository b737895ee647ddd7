/**
 * Verification of an export run: every window's file against the count
 * Feishu declared, the files' integrity (SHA-256 recorded at download),
 * identical headers, required columns filled, no gap or overlap in the date
 * coverage, totals and duplicates, and the merged file. Writes `verify.json`
 * and `verify.md`; windows whose own checks pass become `verified`.
 * `formatVerifyMarkdown` (in `verify_markdown.ts`) renders the Markdown.
 *
 * @module
 */
import { atomicWriteFile } from "../../lib/fs/atomic_write.ts";
import { coverageProblems } from "./coverage.ts";
import { dayOf } from "./dates.ts";
import type { ExportLedger } from "./ledger.ts";
import { type FileStats, parseFiles } from "./parse_files.ts";
import { expectedRows, type ExportWindow } from "./window.ts";
import type { MergeSummary } from "./merge_summary.ts";
import { formatVerifyMarkdown } from "./verify_markdown.ts";
import {
  checkFiles,
  checkHeaders,
  checkIntegrityAndCounts,
  checkMerge,
  checkOvercap,
  checkRequired,
  Checks,
  checkWindowDates,
} from "./_verify_checks.ts";

/** One check. */
export interface VerifyCheck {
  /** Stable id: counts, integrity, files, headers, required, coverage, window_dates, overcap, duplicates, merged. */
  id: string;
  /** Chinese title. */
  title: string;
  /** `pass`, `warn` (reported, not failing) or `fail`. */
  status: "pass" | "warn" | "fail";
  /** Chinese details (one line each; at most 50). */
  details: string[];
}

/** The verification result. */
export interface VerifyReport {
  /** False when any check failed. */
  ok: boolean;
  /** `pass`, `warn` or `fail`. */
  status: "pass" | "warn" | "fail";
  /** When (ISO). */
  at: string;
  /** Range checked. */
  range: { start: string; end: string };
  /** The checks. */
  checks: VerifyCheck[];
  /** Figures. */
  totals: {
    /** Windows covering days (not split). */
    windows: number;
    /** Records Feishu declared over those windows. */
    declared: number;
    /** Rows expected in files (declared, at most the cap each). */
    expectedRows: number;
    /** Rows found in files. */
    rowsInFiles: number;
    /** Rows in the merged file (when merged). */
    mergedRows: number | null;
    /** Duplicates removed by the merge. */
    duplicates: number | null;
    /** Records not in any file because a day exceeded the cap. */
    missingOvercap: number;
  };
  /** Windows that failed a check of their own, by id. */
  failedWindows: number[];
}

/** Options of {@linkcode verifyRun}. */
export interface VerifyOptions {
  /** Window state. */
  ledger: ExportLedger;
  /** Whole range. */
  range: { start: string; end: string };
  /** Rows one export holds. */
  cap: number;
  /** Columns that must not be empty. */
  requiredColumns: string[];
  /** Date columns (normalised like the merge does). */
  dateColumns?: string[];
  /** Column whose day must lie inside each window ("" = no check). */
  windowDateColumn?: string;
  /** Zone of epoch dates, minutes. */
  tzOffsetMinutes?: number;
  /** Merge summary (`merge.json`), when merged. */
  merge?: MergeSummary;
  /** Per-window statistics already computed (by the merge), keyed by window id. */
  stats?: Map<number, { stats?: FileStats; error?: string }>;
  /** Where to write `verify.json` and `verify.md` (not written when omitted). */
  outDir?: string;
  /** Parsing workers (default 2). */
  workers?: number;
  /** Cancel. */
  signal?: AbortSignal;
  /** Time source for `at` (default `Date.now`). */
  now?: () => number;
}

/** Run every check; see the module doc. */
export async function verifyRun(o: VerifyOptions): Promise<VerifyReport> {
  const leaves = o.ledger.list().filter((w) => w.state !== "split").sort((a, b) =>
    dayOf(a.start) - dayOf(b.start) || a.id - b.id
  );
  const withFile = leaves.filter((w) => w.filePath);
  const stats = o.stats ?? await parseStats(withFile, o);
  const c = new Checks();
  const rowsInFiles = await checkIntegrityAndCounts(c, withFile, stats, o.cap);
  checkFiles(c, leaves);
  checkHeaders(c, withFile, stats);
  checkRequired(c, withFile, stats, o.requiredColumns);
  c.add(
    "coverage",
    `日期覆盖 ${o.range.start} 至 ${o.range.end} 无缺口、无重叠`,
    coverageProblems(leaves, o.range),
  );
  if (o.windowDateColumn) checkWindowDates(c, withFile, stats, o.windowDateColumn);
  const missingOvercap = checkOvercap(c, leaves, o.cap);
  if (o.merge) await checkMerge(c, o.merge, withFile, rowsInFiles);
  const report = buildReport(o, c, leaves, { rowsInFiles, missingOvercap });
  markVerified(o.ledger, withFile, c.failed);
  if (o.outDir) await writeVerifyFiles(o.outDir, report);
  return report;
}

function buildReport(
  o: VerifyOptions,
  c: Checks,
  leaves: readonly ExportWindow[],
  figures: { rowsInFiles: number; missingOvercap: number },
): VerifyReport {
  const status = c.status();
  return {
    ok: status !== "fail",
    status,
    at: new Date((o.now ?? Date.now)()).toISOString(),
    range: o.range,
    checks: c.list,
    totals: {
      windows: leaves.length,
      declared: leaves.reduce((n, w) => n + (w.declaredTotal ?? 0), 0),
      expectedRows: leaves.reduce((n, w) => n + (expectedRows(w, o.cap) ?? 0), 0),
      rowsInFiles: figures.rowsInFiles,
      mergedRows: o.merge?.rows_out ?? null,
      duplicates: o.merge?.duplicates ?? null,
      missingOvercap: figures.missingOvercap,
    },
    failedWindows: [...c.failed].sort((a, b) => a - b),
  };
}

/** Windows whose own checks pass become `verified`; a verified one that now fails goes back to `downloaded`. */
function markVerified(ledger: ExportLedger, withFile: readonly ExportWindow[], failed: Set<number>): void {
  for (const w of withFile) {
    if (failed.has(w.id) && w.state === "verified") ledger.update(w.id, { state: "downloaded" });
    if (!failed.has(w.id) && w.state === "downloaded") ledger.update(w.id, { state: "verified" });
  }
}

async function writeVerifyFiles(outDir: string, report: VerifyReport): Promise<void> {
  await atomicWriteFile(`${outDir}/verify.json`, JSON.stringify(report, null, 2) + "\n");
  await atomicWriteFile(`${outDir}/verify.md`, formatVerifyMarkdown(report));
}

async function parseStats(windows: ExportWindow[], o: VerifyOptions) {
  const parsed = await parseFiles(
    windows.map((w) => ({ path: w.filePath!, start: w.start, end: w.end })),
    {
      dateColumns: o.dateColumns ?? [],
      requiredColumns: o.requiredColumns,
      windowDateColumn: o.windowDateColumn ?? "",
      tzOffsetMinutes: o.tzOffsetMinutes ?? -480,
      keepRows: false,
    },
    { workers: o.workers, signal: o.signal },
  );
  return new Map(parsed.map((p, i) => [windows[i].id, { stats: p.stats, error: p.error }]));
}
