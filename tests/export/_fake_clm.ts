/**
 * Test doubles for the export pipeline: a fake contract.feishu.cn export
 * endpoint on `Deno.serve` (127.0.0.1:0) answering the sandbox contract, and
 * an in-memory collector that "delivers" each export as a notice with an
 * xlsx file holding the first `cap` records of the range.
 *
 * It stays beside the sandbox's CLM export (which the export e2e tests and
 * the demo use) because these pipeline tests need what the sandbox's seeded,
 * 1 000-row-capped data set cannot give cheaply: exact per-day record counts
 * with a tiny cap (planner edge cases), 401 from the N-th call, an answer
 * without `total`, per-call hooks to kill a child process at an exact step,
 * and an in-memory collector.
 *
 * @module
 */
import { buildXlsx } from "../../lib/excel/write_xlsx.ts";
import { EXPORT_COOPERATION_RECORDS_PATH } from "../../lib/clm/export_api.ts";
import type { Collector, CollectorFactory, ExportNotice } from "../../pipelines/export/collector.ts";
import { addDays, dayOf } from "../../pipelines/export/dates.ts";
import { formatNoticeText } from "../../pipelines/export/notice_parse.ts";

/** One cooperation record. */
export interface FakeRecord {
  /** 记录ID. */
  id: string;
  /** Creation instant, epoch ms. */
  at: number;
}

/** An export the server accepted. */
export interface FakeTask {
  /** Task id. */
  taskId: string;
  /** Range, local days. */
  start: string;
  /** Last day. */
  end: string;
  /** Records in range. */
  total: number;
  /** When accepted. */
  at: number;
  /** Raw request. */
  headers: Headers;
  /** Parsed body. */
  body: Record<string, unknown>;
}

const TZ = -480;
const wallDay = (ms: number) => new Date(ms - TZ * 60_000).toISOString().slice(0, 10);

/** Records per day from `start` (counts[i] records on day i), spread over working hours, local time UTC+8. */
export function makeRecords(start: string, counts: number[]): FakeRecord[] {
  const out: FakeRecord[] = [];
  let n = 0;
  counts.forEach((c, i) => {
    const midnight = Date.parse(`${addDays(start, i)}T00:00:00Z`) + TZ * 60_000;
    for (let k = 0; k < c; k++) {
      out.push({ id: `R${String(++n).padStart(6, "0")}`, at: midnight + 8 * 3600_000 + k * 7_000 });
    }
  });
  return out;
}

/** The fake export endpoint. */
export class FakeClm {
  /** Accepted exports. */
  readonly tasks: FakeTask[] = [];
  /** Requests received (also refused ones). */
  calls = 0;
  /** Answer 401 to everything while true. */
  expired = false;
  /** Answer 401 from this call number on (1-based). */
  expireFromCall = Infinity;
  /** Leave `total` out of the response. */
  omitTotal = false;
  /** Called with the call number before answering; may delay the answer. */
  onCall?: (n: number) => Promise<void> | void;
  #server?: Deno.HttpServer;
  #records: FakeRecord[];
  #cap: number;

  /** Serve `records`, with `cap` rows per delivered file. */
  constructor(records: FakeRecord[], cap: number) {
    this.#records = [...records].sort((a, b) => a.at - b.at);
    this.#cap = cap;
  }

  /** Base URL once started. */
  get url(): string {
    const a = this.#server!.addr as Deno.NetAddr;
    return `http://127.0.0.1:${a.port}`;
  }

  /** Start listening. */
  start(): void {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#handle(req),
    );
  }

  /** Stop. */
  async close(): Promise<void> {
    await this.#server?.shutdown();
  }

  async #handle(req: Request): Promise<Response> {
    const n = ++this.calls;
    await this.onCall?.(n);
    const url = new URL(req.url);
    if (url.pathname === "/_test/notices") {
      const since = Number(url.searchParams.get("since"));
      return Response.json(this.tasks.map((t) => this.noticeFor(t)).filter((x) => x.sentAt >= since));
    }
    if (url.pathname === "/_test/file") {
      const task = this.tasks.find((t) => `msg-${t.taskId}` === url.searchParams.get("id"));
      return task
        ? new Response(this.fileFor(task) as Uint8Array<ArrayBuffer>)
        : new Response("no", { status: 404 });
    }
    if (req.method !== "POST" || url.pathname !== EXPORT_COOPERATION_RECORDS_PATH) {
      return Response.json({ code: 404, message: "not found" }, { status: 404 });
    }
    if (
      this.expired || n >= this.expireFromCall || !(req.headers.get("cookie") ?? "").includes("session=good")
    ) {
      return Response.json({ code: 401, message: "未登录" }, { status: 401 });
    }
    const body = await req.json() as Record<string, unknown>;
    const [from, to] = body.searchCooperationByCreateTime as [number, number];
    const total = this.#records.filter((r) => r.at >= from && r.at <= to).length;
    const task: FakeTask = {
      taskId: `task-${this.tasks.length + 1}`,
      start: wallDay(from),
      end: wallDay(to),
      total,
      at: Date.now(),
      headers: req.headers,
      body,
    };
    this.tasks.push(task);
    const data: Record<string, unknown> = { taskId: task.taskId };
    if (!this.omitTotal) data.total = total;
    return Response.json({ code: 0, message: "success", data });
  }

  /** Records of a range (local days), in creation order. */
  recordsIn(start: string, end: string): FakeRecord[] {
    return this.#records.filter((r) =>
      dayOf(wallDay(r.at)) >= dayOf(start) && dayOf(wallDay(r.at)) <= dayOf(end)
    );
  }

  /** The xlsx the bot would deliver for a task: the first `cap` records. */
  fileFor(task: FakeTask): Uint8Array {
    const rows = this.recordsIn(task.start, task.end).slice(0, this.#cap).map((r) => ({
      记录ID: r.id,
      合同编号: `HT-${r.id.slice(1)}`,
      操作类型: "发起协同",
      操作时间: new Date(r.at - TZ * 60_000),
      创建时间: new Date(r.at - TZ * 60_000).toISOString().slice(0, 19).replace("T", " "),
    }));
    return buildXlsx([{
      name: "Sheet1",
      columns: ["记录ID", "合同编号", "操作类型", "操作时间", "创建时间"],
      rows,
    }]);
  }

  /** The bot message of a task. */
  noticeFor(task: FakeTask): ExportNotice {
    return {
      messageId: `msg-${task.taskId}`,
      text: formatNoticeText({ start: task.start, end: task.end }, task.total, this.#cap),
      sentAt: task.at + 1,
    };
  }
}

/** Options of {@linkcode fakeCollector}. */
export interface FakeCollectorOptions {
  /** Called before each download (throw or abort to simulate trouble). */
  onDownload?: (n: number, notice: ExportNotice) => Promise<void> | void;
  /** Serve a broken file for these message ids, once each. */
  corruptOnce?: Set<string>;
}

/** A collector over the fake server's tasks; counts factory calls and downloads. */
export function fakeCollector(clm: FakeClm, o: FakeCollectorOptions = {}) {
  const stats = { opened: 0, closed: 0, downloads: 0, listed: 0 };
  const factory: CollectorFactory = () => {
    stats.opened++;
    const c: Collector = {
      listNotices(since) {
        stats.listed++;
        return Promise.resolve(clm.tasks.map((t) => clm.noticeFor(t)).filter((n) => n.sentAt >= since));
      },
      async download(notice, dir) {
        stats.downloads++;
        await o.onDownload?.(stats.downloads, notice);
        const task = clm.tasks.find((t) => `msg-${t.taskId}` === notice.messageId)!;
        const bytes = o.corruptOnce?.delete(notice.messageId)
          ? new TextEncoder().encode("<html>expired</html>")
          : clm.fileFor(task);
        const path = `${dir}/${notice.messageId}.xlsx`;
        await Deno.writeFile(`${path}.part`, bytes);
        await Deno.rename(`${path}.part`, path);
        return { path, bytes: bytes.length };
      },
      close() {
        stats.closed++;
        return Promise.resolve();
      },
    };
    return Promise.resolve(c);
  };
  return { factory, stats };
}

/** A collector that reads the fake server's notices and files over HTTP (for a child process). */
export function httpCollector(baseUrl: string): CollectorFactory {
  return () =>
    Promise.resolve({
      async listNotices(since) {
        return await (await fetch(`${baseUrl}/_test/notices?since=${since}`)).json() as ExportNotice[];
      },
      async download(notice, dir) {
        const bytes = new Uint8Array(
          await (await fetch(`${baseUrl}/_test/file?id=${notice.messageId}`)).arrayBuffer(),
        );
        const path = `${dir}/${notice.messageId}.xlsx`;
        await Deno.writeFile(`${path}.part`, bytes);
        await Deno.rename(`${path}.part`, path);
        return { path, bytes: bytes.length };
      },
      close: () => Promise.resolve(),
    });
}

/** The configuration the pipeline tests run with (cap `cap`, fast polling, no real limits). */
export function pipelineConfigInput(runDir: string, cap: number): Record<string, unknown> {
  return {
    range: { start: "2024-01-01", end: "2024-02-29" },
    plan: { row_cap: cap, cap_threshold: cap, initial_days: 7 },
    rate_limit: { export_qpm: 60_000, global_qpm: 60_000 },
    retry: { max_retries: 1, base_ms: 5, cap_ms: 20 },
    collector: { poll_interval_sec: 0.01, delivery_timeout_sec: 5 },
    output: { dir: runDir },
    merge: { date_columns: ["操作时间", "创建时间"] },
    verify: { required_columns: ["记录ID", "合同编号"], window_date_column: "操作时间" },
  };
}

/** A bash "Copy as cURL" of the export request against `baseUrl`. */
export function curlFor(baseUrl: string): string {
  return `curl '${baseUrl}/clm/api/cooperation/exportCooperationRecords' \\
  -H 'content-type: application/json;charset=UTF-8' \\
  -H 'content-length: 999' \\
  -b 'session=good; lark_oapi_csrf_token=csrf-1' \\
  -H 'x-csrf-token: csrf-1' \\
  -H 'timezone-offset: -480' \\
  --data-raw '{"keyword":"","searchTabEnumCode":0,"searchCooperationByCreateTime":[1,2],"pageSize":20}'`;
}
