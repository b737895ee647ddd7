/**
 * Verify a run directory on its own (`deno task export:verify <run-dir>`):
 * the settings recorded by the run are read from its ledger, the window
 * files are re-parsed, and `verify.json` / `verify.md` are rewritten.
 *
 * @module
 */
import { ConfigError } from "../../lib/errors/config_error.ts";
import { ExportLedger } from "./ledger.ts";
import { readMergeSummary } from "./merge_summary.ts";
import type { RunSettings } from "./run.ts";
import { type VerifyReport, verifyRun } from "./verify.ts";

/** Options of {@linkcode verifyRunDir}. */
export interface VerifyDirOptions {
  /** Parsing workers (default 2). */
  workers?: number;
  /** Replace the recorded required columns. */
  requiredColumns?: string[];
  /** Cancel. */
  signal?: AbortSignal;
}

/** Verify the run in `runDir`; the report is also written there. */
export async function verifyRunDir(runDir: string, o: VerifyDirOptions = {}): Promise<VerifyReport> {
  const dir = runDir.replace(/\/+$/, "");
  try {
    await Deno.stat(`${dir}/ledger.sqlite`);
  } catch {
    throw new ConfigError(`no ledger in ${dir}`, {
      hint: `目录 ${dir} 不是导出运行目录（缺少 ledger.sqlite）：请传入配置中 output.dir 指向的目录。`,
    });
  }
  const ledger = ExportLedger.open(`${dir}/ledger.sqlite`);
  try {
    const raw = ledger.getMeta("settings");
    if (!raw) {
      throw new ConfigError("no settings", { hint: `目录 ${dir} 的导出尚未开始，没有可校验的内容。` });
    }
    const s = JSON.parse(raw) as RunSettings;
    return await verifyRun({
      ledger,
      range: s.range,
      cap: s.cap,
      requiredColumns: o.requiredColumns ?? s.requiredColumns,
      dateColumns: s.dateColumns,
      windowDateColumn: s.windowDateColumn,
      tzOffsetMinutes: s.tzOffsetMinutes,
      merge: await readMergeSummary(`${dir}/merge.json`),
      outDir: dir,
      workers: o.workers,
      signal: o.signal,
    });
  } finally {
    ledger.close();
  }
}
