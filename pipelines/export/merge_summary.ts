/**
 * `merge.json`: what the last merge read and wrote, so a run can tell when
 * the merged file is up to date and verify can check it was not changed.
 *
 * @module
 */
import { sha256File } from "../../lib/encoding/sha256_file.ts";
import { atomicWriteFile } from "../../lib/fs/atomic_write.ts";
import type { DuplicateExample, MergeResult } from "./merge.ts";

/** Contents of `merge.json`. */
export interface MergeSummary {
  /** When (ISO). */
  at: string;
  /** The merged xlsx. */
  output: string;
  /** Its SHA-256. */
  output_sha256: string;
  /** Settings that shape the output (key column, date columns...), as JSON. */
  settings: string;
  /** Rows read. */
  rows_in: number;
  /** Rows written. */
  rows_out: number;
  /** Duplicates removed. */
  duplicates: number;
  /** Some of them. */
  duplicate_examples: DuplicateExample[];
  /** Columns written. */
  columns: string[];
  /** Files merged. */
  inputs: { window_id: number; path: string; sha256: string | null; rows: number | null }[];
  /** Merge time, ms. */
  elapsed_ms: number;
}

/** Build the summary of a merge. */
export function mergeSummary(
  r: MergeResult,
  inputs: MergeSummary["inputs"],
  outputSha256: string,
  settings: string,
  now: number,
): MergeSummary {
  return {
    at: new Date(now).toISOString(),
    output: r.outputPath,
    output_sha256: outputSha256,
    settings,
    rows_in: r.rowsIn,
    rows_out: r.rowsOut,
    duplicates: r.duplicates,
    duplicate_examples: r.duplicateExamples,
    columns: r.columns,
    inputs,
    elapsed_ms: r.elapsedMs,
  };
}

/** Read `merge.json` (undefined when missing or unreadable). */
export async function readMergeSummary(path: string): Promise<MergeSummary | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as MergeSummary;
  } catch {
    return undefined;
  }
}

/** Write `merge.json` atomically. */
export async function writeMergeSummary(path: string, s: MergeSummary): Promise<void> {
  await atomicWriteFile(path, JSON.stringify(s, null, 2) + "\n");
}

/** True when `s` merged exactly these files with these settings and its output is still there, unchanged. */
export async function mergeUpToDate(
  s: MergeSummary | undefined,
  inputs: readonly { window_id: number; sha256: string | null }[],
  settings: string,
  output: string,
): Promise<boolean> {
  if (!s || s.settings !== settings || s.output !== output || s.inputs.length !== inputs.length) return false;
  for (let i = 0; i < inputs.length; i++) {
    if (s.inputs[i].window_id !== inputs[i].window_id || s.inputs[i].sha256 !== inputs[i].sha256) {
      return false;
    }
  }
  try {
    return (await sha256File(output)) === s.output_sha256;
  } catch {
    return false;
  }
}
