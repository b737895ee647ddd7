/**
 * Matching bot notices to exported windows (pure). First by the date range
 * written in the text (exact), then, for notices without a range, by order:
 * notices in the order they were sent go to windows in the order they were
 * requested, skipping windows whose declared count contradicts the notice's.
 * A notice is never matched to a window requested after it was sent (allowing
 * `skewMs` of clock difference), so an old notice of a re-requested window
 * is not taken for the new export.
 *
 * @module
 */
import type { ExportNotice } from "./collector.ts";

/** A window waiting for its notice. */
export interface MatchCandidate {
  /** Window id. */
  id: number;
  /** First day. */
  start: string;
  /** Last day. */
  end: string;
  /** When its export call succeeded, epoch ms. */
  requestedAt: number;
  /** Count the export call declared, if any. */
  declaredTotal: number | null;
}

/** A notice matched to a window. */
export interface NoticeMatch {
  /** Window id. */
  windowId: number;
  /** The notice. */
  notice: ExportNotice;
  /** How it was matched. */
  by: "range" | "order";
}

/** Options of {@linkcode matchNotices}. */
export interface MatchOptions {
  /** Allowed clock difference between us and the messenger, ms (default 120 000). */
  skewMs?: number;
}

/** Match `notices` (already parsed, see `enrichNotice`) to `candidates`. */
export function matchNotices(
  candidates: readonly MatchCandidate[],
  notices: readonly ExportNotice[],
  o: MatchOptions = {},
): { matches: NoticeMatch[]; unmatched: ExportNotice[] } {
  const skew = o.skewMs ?? 120_000;
  const open = new Map(candidates.map((c) => [c.id, c]));
  const matches: NoticeMatch[] = [];
  const unmatched: ExportNotice[] = [];
  const sorted = [...notices].sort((a, b) => a.sentAt - b.sentAt || a.messageId.localeCompare(b.messageId));
  const rest: ExportNotice[] = [];
  for (const n of sorted) {
    if (!n.range) {
      rest.push(n);
      continue;
    }
    let best: MatchCandidate | undefined;
    for (const c of open.values()) {
      if (c.start !== n.range.start || c.end !== n.range.end || c.requestedAt > n.sentAt + skew) continue;
      if (!best || c.requestedAt > best.requestedAt) best = c;
    }
    if (best) {
      open.delete(best.id);
      matches.push({ windowId: best.id, notice: n, by: "range" });
    } else unmatched.push(n);
  }
  const queue = [...open.values()].sort((a, b) => a.requestedAt - b.requestedAt || a.id - b.id);
  for (const n of rest) {
    const eligible = queue.filter((c) => open.has(c.id) && c.requestedAt <= n.sentAt + skew);
    const pick = n.total === undefined
      ? eligible[0]
      : eligible.find((c) => c.declaredTotal === n.total) ?? eligible.find((c) => c.declaredTotal === null);
    if (pick) {
      open.delete(pick.id);
      matches.push({ windowId: pick.id, notice: n, by: "order" });
    } else unmatched.push(n);
  }
  return { matches, unmatched };
}
