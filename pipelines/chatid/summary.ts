import type { ChatIdRow } from "./row.ts";
import { type ChatIdStatus, STATUSES } from "./status.ts";

/** Figures of a run. */
export interface ChatIdSummary {
  /** Contracts in the output. */
  total: number;
  /** Count per status. */
  counts: Record<ChatIdStatus, number>;
  /** Median time per contract, ms (contracts processed in this run). */
  p50Ms: number;
  /** 95th percentile time per contract, ms. */
  p95Ms: number;
  /** Throttling answers Feishu gave. */
  throttled: number;
  /** Retries made. */
  retries: number;
  /** Wall time of the run, ms. */
  elapsedMs: number;
  /** Contracts processed in this run (not resumed from the journal). */
  processed: number;
}

/** Nearest-rank percentile of `values` (0 when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Build the summary of a run. */
export function summarize(
  rows: readonly ChatIdRow[],
  processedDurations: readonly number[],
  extra: { throttled: number; retries: number; elapsedMs: number },
): ChatIdSummary {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ChatIdStatus, number>;
  for (const r of rows) counts[r.status]++;
  return {
    total: rows.length,
    counts,
    p50Ms: percentile(processedDurations, 50),
    p95Ms: percentile(processedDurations, 95),
    processed: processedDurations.length,
    ...extra,
  };
}

/** Chinese lines for the console. */
export function formatSummary(s: ChatIdSummary): string[] {
  const lines = [
    `共 ${s.total} 个合同（本次处理 ${s.processed} 个，耗时 ${(s.elapsedMs / 1000).toFixed(1)} 秒）`,
  ];
  for (const st of STATUSES) if (s.counts[st]) lines.push(`  ${st.padEnd(20)} ${s.counts[st]}`);
  lines.push(`单个合同耗时 p50 ${s.p50Ms} ms，p95 ${s.p95Ms} ms`);
  lines.push(`限流应答 ${s.throttled} 次，重试 ${s.retries} 次`);
  return lines;
}
