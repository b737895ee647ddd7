/**
 * The steps of the collect stage (internal): one {@linkcode CollectRun} per
 * `collectStage` call holds the collector, the read-only parse worker, the
 * notices seen and the download failures of this run.
 *
 * @module
 */
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import type { CollectStageOptions, CollectStageResult } from "./collect.ts";
import type { Collector, ExportNotice } from "./collector.ts";
import { type MatchCandidate, matchNotices } from "./match.ts";
import { renderFileName, uniqueNameAsync } from "./naming.ts";
import { enrichNotice, isExportNotice } from "./notice_parse.ts";
import { FileParser } from "./parse_files.ts";
import { applyTotal } from "./request.ts";
import type { ExportWindow } from "./window.ts";
import { hasXlsxSignature, isFileProblem, isTakenByOther, moveFile } from "./_collect_files.ts";

const COLLECTIBLE_FAILURES = new Set(["overcap", "delivery_timeout", "bad_file"]);

/** Windows that still need a file (and have an export task). */
export function awaitingFile(w: ExportWindow): boolean {
  if (w.requestedAt === null || w.filePath !== null) return false;
  if (w.state === "requested" || w.state === "delivered") return true;
  return w.state === "failed" && COLLECTIBLE_FAILURES.has(w.reasonCode ?? "");
}

/** Requested windows without a notice yet that a notice may match (awaiting a file, or split). */
function matchCandidates(windows: readonly ExportWindow[]): MatchCandidate[] {
  return windows
    .filter((w) => w.requestedAt !== null && w.noticeId === null && (awaitingFile(w) || w.state === "split"))
    .map((w) => ({
      id: w.id,
      start: w.start,
      end: w.end,
      requestedAt: w.requestedAt!,
      declaredTotal: w.declaredTotal,
    }));
}

/** One run of the collect stage. */
export class CollectRun {
  /** What the stage did so far. */
  readonly result: CollectStageResult = {
    delivered: 0,
    downloaded: 0,
    timedOut: 0,
    badFiles: 0,
    split: 0,
    aborted: false,
  };
  #o: CollectStageOptions;
  #clock: Clock;
  #log: Logger;
  #started: number;
  #timeoutMs: number;
  #attempts: number;
  #failures = new Map<number, number>();
  #known = new Map<string, ExportNotice>();
  #collector?: Collector;
  #parser: FileParser;

  /** A run over `o` (nothing is opened yet). */
  constructor(o: CollectStageOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = o.logger ?? silentLogger;
    this.#started = this.#clock.now();
    this.#timeoutMs = o.deliveryTimeoutMs ?? 900_000;
    this.#attempts = o.downloadAttempts ?? 3;
    this.#parser = o.parser ?? new FileParser([o.downloadDir]);
  }

  /** Windows (of `onlyWindow`, if set) that still need a file. */
  pending(): ExportWindow[] {
    const only = this.#o.onlyWindow;
    return this.#o.ledger.list().filter((w) => awaitingFile(w) && (only === undefined || w.id === only));
  }

  /** Create the folders and remove stray `.part` files a killed run left. */
  async prepareDirs(): Promise<void> {
    const o = this.#o;
    await Deno.mkdir(o.filesDir, { recursive: true });
    await Deno.mkdir(o.downloadDir, { recursive: true });
    for await (const e of Deno.readDir(o.downloadDir)) {
      if (e.isFile && e.name.endsWith(".part")) {
        await Deno.remove(`${o.downloadDir}/${e.name}`).catch(() => {});
      }
    }
  }

  /** Start the collector. */
  async open(): Promise<void> {
    this.#collector = await this.#o.collector(this.#o.signal);
  }

  /**
   * One poll: match new notices, download what is matched, time out windows
   * whose notice is late. True when another poll may still bring something.
   */
  async round(): Promise<boolean> {
    this.#o.signal?.throwIfAborted();
    const waiting = this.pending();
    if (waiting.length === 0) return false;
    if (waiting.some((w) => w.noticeId === null)) await this.#matchNew(waiting);
    for (const w of this.pending().filter((x) => x.noticeId !== null)) await this.#download(w);
    if (this.pending().length === 0) return false;
    this.#timeOutLate();
    return this.#mayStillArrive();
  }

  /** Wait for the next poll. */
  async pause(): Promise<void> {
    await this.#clock.sleep(this.#o.pollIntervalMs ?? 5000, this.#o.signal);
  }

  /** Stop the parse worker and the collector. */
  async close(): Promise<void> {
    this.#parser.close();
    await this.#collector?.close().catch(() => {});
  }

  #at(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  /** Match the export notices sent since the oldest waiting request to windows. */
  async #matchNew(waiting: ExportWindow[]): Promise<void> {
    const o = this.#o;
    const since = Math.min(...waiting.map((w) => w.requestedAt!)) - (o.skewMs ?? 120_000);
    const list = await this.#collector!.listNotices(since, o.signal);
    const used = new Set(o.ledger.list().flatMap((w) => (w.noticeId ? [w.noticeId] : [])));
    const fresh = list.filter((n) => isExportNotice(n.text) && !used.has(n.messageId)).map(enrichNotice);
    for (const n of fresh) this.#known.set(n.messageId, n);
    const { matches } = matchNotices(matchCandidates(o.ledger.list()), fresh, { skewMs: o.skewMs });
    for (const m of matches) this.#delivered(m.windowId, m.notice, m.by);
  }

  /** Record a matched notice; a total it reveals may still split the window. */
  #delivered(windowId: number, notice: ExportNotice, by: string): void {
    const o = this.#o;
    let w = o.ledger.get(windowId)!;
    w = o.ledger.update(w.id, {
      noticeId: notice.messageId,
      noticeText: notice.text,
      noticeAt: notice.sentAt,
      ...(w.state === "requested" || (w.state === "failed" && w.reasonCode === "delivery_timeout")
        ? { state: "delivered" as const, reasonCode: null, reason: null }
        : {}),
    })!;
    this.result.delivered++;
    o.collectLog?.append({
      type: "notice",
      at: this.#at(),
      window_id: w.id,
      message_id: notice.messageId,
      matched_by: by,
    });
    if (w.declaredTotal === null && notice.total !== undefined) {
      const applied = applyTotal(o.ledger, w, notice.total, o.plan);
      w = applied.window;
      if (applied.verdict === "split") this.result.split++;
    }
    o.onWindow?.(w);
  }

  /** Download a matched window's file; a bad file counts against its attempts. */
  async #download(w: ExportWindow): Promise<void> {
    if ((this.#failures.get(w.id) ?? 0) >= this.#attempts) return;
    let path: string | undefined;
    try {
      const notice = this.#known.get(w.noticeId!) ?? await this.#findNotice(w);
      if (!notice) throw new Error("找不到已匹配的导出完成消息（可能已被撤回或超出可见范围）");
      path = (await this.#collector!.download(notice, this.#o.downloadDir, this.#o.signal)).path;
      await this.#keepFile(w, path);
    } catch (e) {
      if (this.#o.signal?.aborted) throw e;
      // The collector itself failed (browser will not start, profile in use, login timed out,
      // session gone): not this file's fault. Pause the run instead of failing windows.
      if (!isFileProblem(e)) throw e;
      if (path) await Deno.remove(path).catch(() => {});
      this.#badFile(w, e instanceof Error ? e.message : String(e));
    }
  }

  /** Check a downloaded file, name it by the template and record it. */
  async #keepFile(w: ExportWindow, path: string): Promise<void> {
    const o = this.#o;
    const bytes = await Deno.readFile(path);
    // An xlsx is a ZIP archive; SheetJS would happily read an HTML or text page as a sheet.
    if (!hasXlsxSignature(bytes)) {
      const head = JSON.stringify(new TextDecoder().decode(bytes.subarray(0, 16)));
      throw new Error(`不是 xlsx 文件（${bytes.length} 字节，开头 ${head}）`);
    }
    // The file came from outside: parse it in a worker that may read the download folder only.
    const rows = await this.#rowsOf(path, w);
    const sha256 = await sha256Hex(bytes);
    const wanted = renderFileName(o.fileTemplate, { start: w.start, end: w.end, index: w.id, rows });
    const name = await uniqueNameAsync(wanted, (n) => isTakenByOther(`${o.filesDir}/${n}`, sha256));
    const target = `${o.filesDir}/${name}`;
    await moveFile(path, target);
    const state = w.state === "failed" ? "failed" : "downloaded";
    const done = o.ledger.update(w.id, { state, filePath: target, rowsInFile: rows, sha256 })!;
    this.result.downloaded++;
    o.collectLog?.append({
      type: "download",
      at: this.#at(),
      window_id: w.id,
      file: target,
      bytes: bytes.length,
      rows,
    });
    this.#log.info("window_downloaded", { window_id: w.id, file: target, rows });
    o.onWindow?.(done);
  }

  /**
   * Data rows of a downloaded window file, parsed in the read-only worker
   * (read access to the download folder and nothing else); throws when it
   * does not open as a sheet with a header row.
   */
  async #rowsOf(path: string, w: ExportWindow): Promise<number> {
    const parsed = await this.#parser.parse(
      { path, start: w.start, end: w.end },
      { dateColumns: [], requiredColumns: [], windowDateColumn: "", tzOffsetMinutes: 0, keepRows: false },
    );
    if (!parsed.stats) throw new Error(parsed.error ?? "unreadable xlsx");
    if (parsed.stats.headers.length === 0) throw new Error("no header row");
    return parsed.stats.rows;
  }

  /** Count a failed download; the last allowed attempt fails the window as `bad_file`. */
  #badFile(w: ExportWindow, message: string): void {
    const o = this.#o;
    const n = (this.#failures.get(w.id) ?? 0) + 1;
    this.#failures.set(w.id, n);
    o.collectLog?.append({ type: "bad_file", at: this.#at(), window_id: w.id, error: message });
    this.#log.warn("download_failed", { window_id: w.id, attempt: n, message });
    if (n < this.#attempts) return;
    const reason = `文件下载后无法作为 xlsx 打开（已尝试 ${n} 次）：${message}`;
    const failed = w.reasonCode === "overcap" ? o.ledger.get(w.id) : o.ledger.fail(w.id, "bad_file", reason);
    this.result.badFiles++;
    if (failed) o.onWindow?.(failed);
  }

  async #findNotice(w: ExportWindow): Promise<ExportNotice | undefined> {
    const list = await this.#collector!.listNotices((w.noticeAt ?? w.requestedAt!) - 1, this.#o.signal);
    for (const n of list) this.#known.set(n.messageId, enrichNotice(n));
    return this.#known.get(w.noticeId!);
  }

  /** Fail windows whose notice did not come within the delivery timeout. */
  #timeOutLate(): void {
    const o = this.#o;
    const now = this.#clock.now();
    for (const w of this.pending()) {
      if (w.noticeId !== null || now - Math.max(w.requestedAt!, this.#started) < this.#timeoutMs) continue;
      if (w.state === "failed") continue; // already timed out in an earlier run
      const failed = o.ledger.fail(
        w.id,
        "delivery_timeout",
        `超过 ${Math.round(this.#timeoutMs / 60_000)} 分钟未收到导出完成消息`,
      );
      this.result.timedOut++;
      o.collectLog?.append({ type: "timeout", at: this.#at(), window_id: w.id });
      if (failed) o.onWindow?.(failed);
    }
  }

  /** Whether a window may still get its notice in time, or a matched one has attempts left. */
  #mayStillArrive(): boolean {
    const now = this.#clock.now();
    return this.pending().some((w) =>
      w.noticeId === null
        ? now - Math.max(w.requestedAt!, this.#started) < this.#timeoutMs
        : (this.#failures.get(w.id) ?? 0) < this.#attempts
    );
  }
}
