/**
 * The collect stage: poll the collector for "导出完成" notices until every
 * requested window has its notice (or the delivery timeout passes), match
 * them to windows, download each file, check that it opens as xlsx, rename
 * it by the template and record it in the ledger. Notices of split windows
 * are matched too (so order-based matching stays aligned) but not downloaded.
 *
 * @module
 */
import { BrowserError } from "../../lib/browser/browser_error.ts";
import { LarkError } from "../../lib/errors/lark_error.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import type { Collector, CollectorFactory, ExportNotice } from "./collector.ts";
import type { ExportLedger } from "./ledger.ts";
import { type MatchCandidate, matchNotices } from "./match.ts";
import { renderFileName, uniqueNameAsync } from "./naming.ts";
import { enrichNotice, isExportNotice } from "./notice_parse.ts";
import { FileParser } from "./parse_files.ts";
import type { ResolvedPlanOptions } from "./plan.ts";
import { applyTotal } from "./request.ts";
import type { CollectRecord, StageLog } from "./stage_log.ts";
import type { ExportWindow } from "./window.ts";

/** Options of {@linkcode collectStage}. */
export interface CollectStageOptions {
  /** Window state. */
  ledger: ExportLedger;
  /** Creates the collector on first need (not at all when nothing waits). */
  collector: CollectorFactory;
  /** Where renamed window files go. */
  filesDir: string;
  /** Where the collector downloads to (stray `.part` files there are removed). */
  downloadDir: string;
  /** File name template. */
  fileTemplate: string;
  /** Planner settings (a total learnt from a notice may still split a window). */
  plan: ResolvedPlanOptions;
  /** Time between polls, ms (default 5000). */
  pollIntervalMs?: number;
  /** Give up on a window's notice after this long, ms (default 900 000). */
  deliveryTimeoutMs?: number;
  /** Download attempts per window and run (default 3). */
  downloadAttempts?: number;
  /** Allowed clock difference to the messenger, ms (default 120 000). */
  skewMs?: number;
  /** Only this window. */
  onlyWindow?: number;
  /** Time source. */
  clock?: Clock;
  /** Stop. */
  signal?: AbortSignal;
  /** Collect events. */
  collectLog?: StageLog<CollectRecord>;
  /** After each window changes. */
  onWindow?: (w: ExportWindow) => void;
  /** Logger. */
  logger?: Logger;
}

/** What the stage did. */
export interface CollectStageResult {
  /** Notices matched. */
  delivered: number;
  /** Files saved. */
  downloaded: number;
  /** Windows that got no notice in time. */
  timedOut: number;
  /** Windows whose file would not open. */
  badFiles: number;
  /** Windows that turned out to need splitting (total learnt from the notice). */
  split: number;
  /** True when the signal stopped it. */
  aborted: boolean;
}

const COLLECTIBLE_FAILURES = new Set(["overcap", "delivery_timeout", "bad_file"]);

/** Windows that still need a file (and have an export task). */
export function awaitingFile(w: ExportWindow): boolean {
  if (w.requestedAt === null || w.filePath !== null) return false;
  if (w.state === "requested" || w.state === "delivered") return true;
  return w.state === "failed" && COLLECTIBLE_FAILURES.has(w.reasonCode ?? "");
}

/** Run the collect stage; see the module doc. */
export async function collectStage(o: CollectStageOptions): Promise<CollectStageResult> {
  const clock = o.clock ?? systemClock;
  const log = o.logger ?? silentLogger;
  const res: CollectStageResult = {
    delivered: 0,
    downloaded: 0,
    timedOut: 0,
    badFiles: 0,
    split: 0,
    aborted: false,
  };
  const only = (w: ExportWindow) => o.onlyWindow === undefined || w.id === o.onlyWindow;
  const pending = () => o.ledger.list().filter((w) => awaitingFile(w) && only(w));
  if (pending().length === 0) return res;
  await Deno.mkdir(o.filesDir, { recursive: true });
  await Deno.mkdir(o.downloadDir, { recursive: true });
  for await (const e of Deno.readDir(o.downloadDir)) {
    if (e.isFile && e.name.endsWith(".part")) await Deno.remove(`${o.downloadDir}/${e.name}`).catch(() => {});
  }
  const at = () => new Date(clock.now()).toISOString();
  const started = clock.now();
  const timeout = o.deliveryTimeoutMs ?? 900_000;
  const failures = new Map<number, number>();
  const known = new Map<string, ExportNotice>();
  let collector: Collector | undefined;
  const parser = new FileParser([o.downloadDir]);
  try {
    collector = await o.collector(o.signal);
    for (;;) {
      o.signal?.throwIfAborted();
      let waiting = pending();
      if (waiting.length === 0) break;
      if (waiting.some((w) => w.noticeId === null)) {
        const since = Math.min(...waiting.map((w) => w.requestedAt!)) - (o.skewMs ?? 120_000);
        matchNew(await collector.listNotices(since, o.signal));
      }
      for (const w of pending().filter((x) => x.noticeId !== null)) await download(w);
      waiting = pending();
      if (waiting.length === 0) break;
      const now = clock.now();
      const late = waiting.filter((w) =>
        w.noticeId === null && now - Math.max(w.requestedAt!, started) >= timeout
      );
      for (const w of late) {
        if (w.state === "failed") continue; // already timed out in an earlier run
        const failed = o.ledger.fail(
          w.id,
          "delivery_timeout",
          `超过 ${Math.round(timeout / 60_000)} 分钟未收到导出完成消息`,
        );
        res.timedOut++;
        o.collectLog?.append({ type: "timeout", at: at(), window_id: w.id });
        if (failed) o.onWindow?.(failed);
      }
      const stillWaiting = pending().filter((w) =>
        w.noticeId === null && clock.now() - Math.max(w.requestedAt!, started) < timeout
      );
      const retryable = pending().filter((w) =>
        w.noticeId !== null && (failures.get(w.id) ?? 0) < attemptsMax()
      );
      if (stillWaiting.length === 0 && retryable.length === 0) break;
      await clock.sleep(o.pollIntervalMs ?? 5000, o.signal);
    }
  } catch (e) {
    if (o.signal?.aborted) {
      res.aborted = true;
      return res;
    }
    throw e;
  } finally {
    parser.close();
    await collector?.close().catch(() => {});
  }
  res.aborted = !!o.signal?.aborted;
  return res;

  function attemptsMax() {
    return o.downloadAttempts ?? 3;
  }

  function matchNew(list: ExportNotice[]) {
    const used = new Set(o.ledger.list().flatMap((w) => (w.noticeId ? [w.noticeId] : [])));
    const fresh = list.filter((n) => isExportNotice(n.text) && !used.has(n.messageId)).map(enrichNotice);
    for (const n of fresh) known.set(n.messageId, n);
    const candidates: MatchCandidate[] = o.ledger.list()
      .filter((w) =>
        w.requestedAt !== null && w.noticeId === null && (awaitingFile(w) || w.state === "split")
      )
      .map((w) => ({
        id: w.id,
        start: w.start,
        end: w.end,
        requestedAt: w.requestedAt!,
        declaredTotal: w.declaredTotal,
      }));
    const { matches } = matchNotices(candidates, fresh, { skewMs: o.skewMs });
    for (const m of matches) {
      let w = o.ledger.get(m.windowId)!;
      const patch = {
        noticeId: m.notice.messageId,
        noticeText: m.notice.text,
        noticeAt: m.notice.sentAt,
        ...(w.state === "requested" || (w.state === "failed" && w.reasonCode === "delivery_timeout")
          ? { state: "delivered" as const, reasonCode: null, reason: null }
          : {}),
      };
      w = o.ledger.update(w.id, patch)!;
      res.delivered++;
      o.collectLog?.append({
        type: "notice",
        at: at(),
        window_id: w.id,
        message_id: m.notice.messageId,
        matched_by: m.by,
      });
      if (w.declaredTotal === null && m.notice.total !== undefined) {
        const applied = applyTotal(o.ledger, w, m.notice.total, o.plan);
        w = applied.window;
        if (applied.verdict === "split") res.split++;
      }
      o.onWindow?.(w);
    }
  }

  async function download(w: ExportWindow) {
    if ((failures.get(w.id) ?? 0) >= attemptsMax()) return;
    let path: string | undefined;
    try {
      const notice = known.get(w.noticeId!) ?? await findNotice(w);
      if (!notice) throw new Error("找不到已匹配的导出完成消息（可能已被撤回或超出可见范围）");
      path = (await collector!.download(notice, o.downloadDir, o.signal)).path;
      const bytes = await Deno.readFile(path);
      // An xlsx is a ZIP archive; SheetJS would happily read an HTML or text page as a sheet.
      if (bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) {
        throw new Error(
          `不是 xlsx 文件（${bytes.length} 字节，开头 ${
            JSON.stringify(new TextDecoder().decode(bytes.subarray(0, 16)))
          }）`,
        );
      }
      // The file came from outside: parse it in a worker that may read the download folder only.
      const table = await inspectXlsx(parser, path, w);
      const sha256 = await sha256Hex(bytes);
      const wanted = renderFileName(o.fileTemplate, {
        start: w.start,
        end: w.end,
        index: w.id,
        rows: table.rows,
      });
      const name = await uniqueNameAsync(wanted, (n) => isTakenByOther(`${o.filesDir}/${n}`, sha256));
      const target = `${o.filesDir}/${name}`;
      await moveFile(path, target);
      const state = w.state === "failed" ? "failed" : "downloaded";
      const done = o.ledger.update(w.id, { state, filePath: target, rowsInFile: table.rows, sha256 })!;
      res.downloaded++;
      o.collectLog?.append({
        type: "download",
        at: at(),
        window_id: w.id,
        file: target,
        bytes: bytes.length,
        rows: table.rows,
      });
      log.info("window_downloaded", { window_id: w.id, file: target, rows: table.rows });
      o.onWindow?.(done);
    } catch (e) {
      if (o.signal?.aborted) throw e;
      // The collector itself failed (browser will not start, profile in use, login timed out,
      // session gone): not this file's fault. Pause the run instead of failing windows.
      if (!isFileProblem(e)) throw e;
      const n = (failures.get(w.id) ?? 0) + 1;
      failures.set(w.id, n);
      const message = e instanceof Error ? e.message : String(e);
      o.collectLog?.append({ type: "bad_file", at: at(), window_id: w.id, error: message });
      log.warn("download_failed", { window_id: w.id, attempt: n, message });
      if (path) await Deno.remove(path).catch(() => {});
      if (n >= attemptsMax()) {
        const reason = `文件下载后无法作为 xlsx 打开（已尝试 ${n} 次）：${message}`;
        const failed = w.reasonCode === "overcap"
          ? o.ledger.get(w.id)
          : o.ledger.fail(w.id, "bad_file", reason);
        res.badFiles++;
        if (failed) o.onWindow?.(failed);
      }
    }
  }

  async function findNotice(w: ExportWindow): Promise<ExportNotice | undefined> {
    const list = await collector!.listNotices((w.noticeAt ?? w.requestedAt!) - 1, o.signal);
    for (const n of list) known.set(n.messageId, enrichNotice(n));
    return known.get(w.noticeId!);
  }

  async function isTakenByOther(path: string, sha256: string): Promise<boolean> {
    try {
      return (await sha256Hex(await Deno.readFile(path))) !== sha256;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
  }
}

/**
 * Header and data row count of a downloaded window file, parsed in the
 * stage's read-only worker (read access to the download folder and nothing
 * else); throws when it
 * does not open as a sheet with a header row.
 */
async function inspectXlsx(
  parser: FileParser,
  path: string,
  w: ExportWindow,
): Promise<{ headers: string[]; rows: number }> {
  const parsed = await parser.parse(
    { path, start: w.start, end: w.end },
    { dateColumns: [], requiredColumns: [], windowDateColumn: "", tzOffsetMinutes: 0, keepRows: false },
  );
  if (!parsed.stats) throw new Error(parsed.error ?? "unreadable xlsx");
  if (parsed.stats.headers.length === 0) throw new Error("no header row");
  return { headers: parsed.stats.headers, rows: parsed.stats.rows };
}

/** Rename, falling back to copy + remove across file systems. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await Deno.rename(from, to);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw e;
    await Deno.copyFile(from, to);
    await Deno.remove(from);
  }
}

/** Whether a download failure is about this file (retry it) rather than the collector (pause). */
function isFileProblem(e: unknown): boolean {
  if (e instanceof BrowserError) return e.reason === "download_failed" || e.reason === "timeout";
  if (e instanceof LarkError) return !["session", "auth", "config", "permission"].includes(e.kind);
  return true;
}
