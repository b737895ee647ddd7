/**
 * The typed NDJSON files that chain the stages in a run directory. Each
 * stage appends one line per event as it happens (synchronous appends, so a
 * kill loses at most the line being written) through the shared
 * {@linkcode NdjsonWriter}, every line checked against the stage's schema;
 * the next stages, the report and a replay read them back with
 * {@linkcode readStageLog}, skipping a torn last line. The SQLite ledger is
 * the index a resumed run starts from; these files alone tell what happened.
 *
 * @module
 */
import { z } from "zod";
import type { NdjsonWriter } from "../../lib/ndjson/ndjson_writer.ts";
import { NdjsonStageFiles } from "../../lib/ndjson/ndjson_stage_files.ts";
import type { ReadNdjsonOptions } from "../../lib/ndjson/read_ndjson.ts";
import type { Schema } from "../../lib/validate/schema.ts";

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

/**
 * One change of a window (`windows.ndjson`): the window as it is after the
 * change. The last line of each window is its current state, so the file
 * alone rebuilds the window table (`replayWindows`).
 */
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
  /** First day. */
  start?: string;
  /** Last day. */
  end?: string;
  /** Machine failure reason (`overcap` also on a truncated window that went on). */
  reason_code?: string | null;
  /** Export task id. */
  task_id?: string | null;
  /** When the export call succeeded (epoch ms). */
  requested_at?: number | null;
  /** Matched bot message. */
  notice_id?: string | null;
  /** SHA-256 (hex) of the file as downloaded. */
  sha256?: string | null;
  /** The split window it is a part of. */
  parent_id?: number | null;
  /** Export calls made for it. */
  attempts?: number;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const iso = z.string().min(1);
const errorInfo = z.object({ kind: z.string(), message: z.string() });

/** Schema of a `plan.ndjson` line. */
export const PlanRecordSchema: Schema<PlanRecord> = z.object({
  type: z.literal("plan"),
  at: iso,
  window_id: z.number().int(),
  start: day,
  end: day,
  parent_id: z.number().int().nullable(),
  basis: z.string(),
  estimate: z.number().nullable(),
  density: z.number().nullable(),
});

/** Schema of a `request.ndjson` line. */
export const RequestRecordSchema: Schema<RequestRecord> = z.object({
  type: z.literal("request"),
  at: iso,
  window_id: z.number().int(),
  start: day,
  end: day,
  outcome: z.enum(["ok", "split", "overcap", "unknown_total", "error", "paused"]),
  task_id: z.string().optional(),
  total: z.number().optional(),
  attempts: z.number().int().optional(),
  elapsed_ms: z.number().optional(),
  error: errorInfo.optional(),
});

/** Schema of a `count.ndjson` line. */
export const CountRecordSchema: Schema<CountRecord> = z.object({
  type: z.literal("count"),
  at: iso,
  start: day.optional(),
  end: day.optional(),
  outcome: z.enum(["ok", "error", "paused", "disabled"]),
  total: z.number().optional(),
  attempts: z.number().int().optional(),
  elapsed_ms: z.number().optional(),
  error: errorInfo.optional(),
});

/** Schema of a `collect.ndjson` line. */
export const CollectRecordSchema: Schema<CollectRecord> = z.object({
  type: z.enum(["notice", "download", "timeout", "bad_file"]),
  at: iso,
  window_id: z.number().int(),
  message_id: z.string().optional(),
  matched_by: z.string().optional(),
  file: z.string().optional(),
  bytes: z.number().int().optional(),
  rows: z.number().int().optional(),
  error: z.string().optional(),
});

/** Schema of a `windows.ndjson` line. */
export const WindowRecordSchema: Schema<WindowRecord> = z.object({
  type: z.literal("window"),
  at: iso,
  window_id: z.number().int(),
  range: z.string(),
  state: z.enum(["planned", "requested", "delivered", "downloaded", "verified", "failed", "split"]),
  declared_total: z.number().nullable(),
  rows: z.number().int().nullable(),
  file: z.string().nullable(),
  error: z.string().nullable(),
  start: day.optional(),
  end: day.optional(),
  reason_code: z.enum(["overcap", "export_error", "delivery_timeout", "bad_file"]).nullable().optional(),
  task_id: z.string().nullable().optional(),
  requested_at: z.number().nullable().optional(),
  notice_id: z.string().nullable().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable().optional(),
  parent_id: z.number().int().nullable().optional(),
  attempts: z.number().int().nonnegative().optional(),
});

/** The record type of each stage file. */
export interface StageRecords {
  /** `plan.ndjson`. */
  plan: PlanRecord;
  /** `request.ndjson`. */
  request: RequestRecord;
  /** `count.ndjson`. */
  count: CountRecord;
  /** `collect.ndjson`. */
  collect: CollectRecord;
  /** `windows.ndjson`. */
  windows: WindowRecord;
}

/** A stage file name (key of {@linkcode STAGE_FILES}). */
export type StageName = keyof StageRecords;

/** The schema of each stage file. */
export const STAGE_SCHEMAS: { [K in StageName]: Schema<StageRecords[K]> } = {
  plan: PlanRecordSchema,
  request: RequestRecordSchema,
  count: CountRecordSchema,
  collect: CollectRecordSchema,
  windows: WindowRecordSchema,
};

/** A writer of one stage file (what the stages are handed). */
export type StageLog<T> = Pick<NdjsonWriter<T>, "append" | "path">;

/** The run directory's stage files. */
export const STAGE_LOGS: NdjsonStageFiles<StageRecords> = new NdjsonStageFiles<StageRecords>(
  STAGE_FILES,
  STAGE_SCHEMAS,
);

/** Open the `stage` file of `runDir` for appending; every line is checked against its schema. */
export function openStageLog<K extends StageName>(runDir: string, stage: K): NdjsonWriter<StageRecords[K]> {
  return STAGE_LOGS.open(runDir, stage);
}

/** Read the `stage` file of `runDir` (missing = no records; a torn or invalid line is skipped). */
export function readStageLog<K extends StageName>(
  runDir: string,
  stage: K,
  options?: ReadNdjsonOptions,
): Promise<StageRecords[K][]> {
  return STAGE_LOGS.read(runDir, stage, options);
}
