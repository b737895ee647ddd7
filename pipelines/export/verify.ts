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
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import { coverageProblems } from "./coverage.ts";
import { dayOf } from "./dates.ts";
import type { ExportLedger } from "./ledger.ts";
import { type FileStats, parseFiles } from "./parse_files.ts";
import { expectedRows, type ExportWindow, windowLabel } from "./window.ts";
import type { MergeSummary } from "./merge_summary.ts";
import { formatVerifyMarkdown } from "./verify_markdown.ts";

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

const MAX_DETAILS = 50;

/** Run every check; see the module doc. */
export async function verifyRun(o: VerifyOptions): Promise<VerifyReport> {
  const windows = o.ledger.list();
  const leaves = windows.filter((w) => w.state !== "split").sort((a, b) =>
    dayOf(a.start) - dayOf(b.start) || a.id - b.id
  );
  const withFile = leaves.filter((w) => w.filePath);
  const stats = o.stats ?? await parseStats(withFile, o);
  const failed = new Set<number>();
  const checks: VerifyCheck[] = [];
  const add = (id: string, title: string, bad: string[], warn = false) =>
    checks.push({
      id,
      title,
      status: bad.length === 0 ? "pass" : warn ? "warn" : "fail",
      details: bad.length > MAX_DETAILS
        ? [...bad.slice(0, MAX_DETAILS), `……另有 ${bad.length - MAX_DETAILS} 条`]
        : bad,
    });

  // Integrity and counts.
  const integrity: string[] = [];
  const counts: string[] = [];
  let rowsInFiles = 0;
  for (const w of withFile) {
    const label = `窗口 ${w.id}（${windowLabel(w)}）`;
    let bytes: Uint8Array<ArrayBuffer> | undefined;
    try {
      bytes = await Deno.readFile(w.filePath!);
    } catch {
      integrity.push(`${label}：文件 ${w.filePath} 不存在或无法读取`);
      failed.add(w.id);
      continue;
    }
    if (w.sha256 && (await sha256Hex(bytes)) !== w.sha256) {
      integrity.push(`${label}：文件内容与下载时不一致（SHA-256 不同），可能被修改`);
      failed.add(w.id);
    }
    const s = stats.get(w.id);
    if (!s?.stats) {
      integrity.push(`${label}：文件无法作为 xlsx 打开：${s?.error ?? "未知错误"}`);
      failed.add(w.id);
      continue;
    }
    rowsInFiles += s.stats.rows;
    const expected = expectedRows(w, o.cap);
    if (expected !== null && s.stats.rows !== expected) {
      counts.push(`${label}：文件 ${s.stats.rows} 行，飞书声明 ${w.declaredTotal} 条（应为 ${expected} 行）`);
      failed.add(w.id);
    }
  }
  add("integrity", "文件完整性（SHA-256、可打开）", integrity);
  add("counts", "每个窗口的行数与飞书声明一致", counts);

  // Every window that covers days has a file.
  const missing = leaves.filter((w) => !w.filePath).map((w) =>
    `窗口 ${w.id}（${windowLabel(w)}）：${
      w.state === "failed" ? (w.reason ?? "失败") : `状态为「${w.state}」`
    }，没有文件`
  );
  add("files", "每个窗口都有文件", missing);

  // Headers identical across files.
  const heads = withFile.flatMap((w) => {
    const h = stats.get(w.id)?.stats?.headers;
    return h ? [{ w, key: JSON.stringify(h), h }] : [];
  });
  const freq = new Map<string, number>();
  for (const x of heads) freq.set(x.key, (freq.get(x.key) ?? 0) + 1);
  const refKey = [...freq.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const ref: string[] = refKey ? JSON.parse(refKey) : [];
  const drift = heads.filter((x) => x.key !== refKey).map(({ w, h }) => {
    const lack = ref.filter((c) => !h.includes(c));
    const extra = h.filter((c) => !ref.includes(c));
    const parts = [];
    if (lack.length) parts.push(`缺少列 ${lack.join("、")}`);
    if (extra.length) parts.push(`多出列 ${extra.join("、")}`);
    if (!parts.length) parts.push("列顺序不同");
    return `窗口 ${w.id}（${windowLabel(w)}）：${parts.join("；")}`;
  });
  add("headers", "各文件表头一致", drift);

  // Required columns.
  const required: string[] = [];
  for (const w of withFile) {
    const s = stats.get(w.id)?.stats;
    if (!s) continue;
    const label = `窗口 ${w.id}（${windowLabel(w)}）`;
    for (const c of s.missingRequired) required.push(`${label}：缺少必填列「${c}」`);
    for (const [c, n] of Object.entries(s.emptyRequired)) {
      if (n > 0 && !s.missingRequired.includes(c)) required.push(`${label}：必填列「${c}」有 ${n} 行为空`);
    }
    if (s.missingRequired.length || Object.values(s.emptyRequired).some((n) => n > 0)) failed.add(w.id);
  }
  add("required", `必填列不为空（${o.requiredColumns.join("、") || "未配置"}）`, required);

  // Coverage.
  add(
    "coverage",
    `日期覆盖 ${o.range.start} 至 ${o.range.end} 无缺口、无重叠`,
    coverageProblems(leaves, o.range),
  );

  if (o.windowDateColumn) {
    const out: string[] = [];
    for (const w of withFile) {
      const s = stats.get(w.id)?.stats;
      if (s && s.outOfWindow > 0) {
        out.push(
          `窗口 ${w.id}（${windowLabel(w)}）：${s.outOfWindow} 行的「${o.windowDateColumn}」不在窗口日期内`,
        );
        failed.add(w.id);
      }
    }
    add("window_dates", `「${o.windowDateColumn}」落在各自窗口内`, out);
  }

  const overcap = leaves.filter((w) => w.reasonCode === "overcap");
  const missingOvercap = overcap.reduce((n, w) => n + Math.max(0, (w.declaredTotal ?? 0) - o.cap), 0);
  add(
    "overcap",
    `单日超过 ${o.cap} 条（文件只含前 ${o.cap} 条）`,
    overcap.map((w) =>
      `${w.start}：共 ${w.declaredTotal} 条，文件仅 ${o.cap} 行，缺 ${(w.declaredTotal ?? 0) - o.cap} 条`
    ),
    true,
  );

  const m = o.merge;
  if (m) {
    const dup = m.duplicates > 0
      ? [
        `合并时去除重复 ${m.duplicates} 行`,
        ...m.duplicate_examples.slice(0, 10).map((d) => `  ${d.key}：保留 ${d.keptIn}，去除 ${d.droppedIn}`),
      ]
      : [];
    add("duplicates", "重复记录", dup, true);
    add("merged", "合并文件与各窗口文件一致", await mergedProblems(m, withFile, rowsInFiles));
  }

  const declared = leaves.reduce((n, w) => n + (w.declaredTotal ?? 0), 0);
  const expected = leaves.reduce((n, w) => n + (expectedRows(w, o.cap) ?? 0), 0);
  const status = checks.some((c) => c.status === "fail")
    ? "fail"
    : checks.some((c) => c.status === "warn")
    ? "warn"
    : "pass";
  const report: VerifyReport = {
    ok: status !== "fail",
    status,
    at: new Date((o.now ?? Date.now)()).toISOString(),
    range: o.range,
    checks,
    totals: {
      windows: leaves.length,
      declared,
      expectedRows: expected,
      rowsInFiles,
      mergedRows: m?.rows_out ?? null,
      duplicates: m?.duplicates ?? null,
      missingOvercap,
    },
    failedWindows: [...failed].sort((a, b) => a - b),
  };
  for (const w of withFile) {
    if (failed.has(w.id) && w.state === "verified") o.ledger.update(w.id, { state: "downloaded" });
    if (!failed.has(w.id) && w.state === "downloaded") o.ledger.update(w.id, { state: "verified" });
  }
  if (o.outDir) {
    await atomicWriteFile(`${o.outDir}/verify.json`, JSON.stringify(report, null, 2) + "\n");
    await atomicWriteFile(`${o.outDir}/verify.md`, formatVerifyMarkdown(report));
  }
  return report;
}

async function mergedProblems(
  m: MergeSummary,
  withFile: ExportWindow[],
  rowsInFiles: number,
): Promise<string[]> {
  const out: string[] = [];
  try {
    const sha = await sha256Hex(await Deno.readFile(m.output));
    if (m.output_sha256 && sha !== m.output_sha256) out.push(`合并文件 ${m.output} 在合并后被修改`);
  } catch {
    out.push(`合并文件 ${m.output} 不存在`);
  }
  const now = new Map(withFile.map((w) => [w.id, w.sha256]));
  const stale = m.inputs.filter((i) => now.get(i.window_id) !== i.sha256).length +
    withFile.filter((w) => !m.inputs.some((i) => i.window_id === w.id)).length;
  if (stale) out.push(`合并之后有 ${stale} 个窗口文件发生变化，合并结果已过期（重新运行即可重新合并）`);
  if (!stale && m.rows_in !== rowsInFiles) out.push(`合并读入 ${m.rows_in} 行，窗口文件共 ${rowsInFiles} 行`);
  return out;
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
