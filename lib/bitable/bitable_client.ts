import "./bitable_codes.ts"; // Base codes come at HTTP 200: classify them
import type { LarkHttp } from "../http/lark_http.ts";
import {
  checkAppToken,
  checkFields,
  checkRecordId,
  checkSearch,
  checkTableId,
  MAX_BATCH_DELETE,
  MAX_BATCH_WRITE,
  MAX_PAGE_SIZE,
} from "./_validate.ts";
import { TableWriteQueue } from "./table_write_queue.ts";
import { runChunks } from "./_chunks.ts";
import { type RawRecord, searchBody, toRecord } from "./_wire.ts";
import type {
  BatchResult,
  BitableRecord,
  ChunkResult,
  DeletedRecord,
  Fields,
  SearchOptions,
} from "./types.ts";

/** Rate buckets of the Base record APIs (frequency tiers on each API page), for {@linkcode RateLimiter}. */
export const BITABLE_RATE_BUCKETS = {
  /** records/search: 20/s. */
  bitable_read: { perSecond: 20 },
  /** create / update / delete / batch_*: 50/s. */
  bitable_write: { perSecond: 50 },
} as const;

/** Options of {@linkcode BitableClient}. */
export interface BitableClientOptions {
  /** `user_id_type` sent on every call (default `open_id`). */
  userIdType?: "open_id" | "union_id" | "user_id";
  /**
   * Retries of a write refused with 1254291 (write conflict: another process
   * wrote to the table) or throttled, with backoff (lib/retry). Default 6.
   */
  writeRetries?: number;
  /** Shared per-table write queue (default: one per client). Share it between clients of one app. */
  queue?: TableWriteQueue;
}

/** Options of one batch call. */
export interface BatchOptions {
  /** Stop after the first failed chunk (default false: every chunk is tried and reported). */
  stopOnError?: boolean;
  /** Told after each chunk. */
  onChunk?: (chunk: ChunkResult<unknown>) => void;
  /** Cancel between and during chunks. */
  signal?: AbortSignal;
}

const BASE = "/open-apis/bitable/v1/apps";

/**
 * Base (bitable v1) records: create, search (paged transparently), update
 * and delete one record; batch create/update (≤ 1,000 per call) and delete
 * (≤ 500) chunked automatically with per-chunk results. Every write to a
 * table goes through one queue per table, and write conflicts (1254291, at
 * HTTP 200) are retried with backoff. Input is checked before any request.
 * API pages: open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/…
 */
export class BitableClient {
  readonly #http: LarkHttp;
  readonly #userIdType: string;
  readonly #writeRetries: number;
  /** The per-table write queue. */
  readonly queue: TableWriteQueue;

  /** Create a client over the core's HTTP client. */
  constructor(http: LarkHttp, options: BitableClientOptions = {}) {
    this.#http = http;
    this.#userIdType = options.userIdType ?? "open_id";
    this.#writeRetries = options.writeRetries ?? 6;
    this.queue = options.queue ?? new TableWriteQueue();
  }

  /** Create one record; returns it with its `recordId`. */
  async createRecord(appToken: string, tableId: string, fields: Fields): Promise<BitableRecord> {
    const path = this.#path(appToken, tableId);
    checkFields(fields);
    const data = await this.#write<{ record: RawRecord }>(appToken, tableId, {
      method: "POST",
      path,
      query: { client_token: crypto.randomUUID() },
      body: { fields },
    });
    return toRecord(data.value.record);
  }

  /** Update one record's fields (fields left out keep their values). */
  async updateRecord(
    appToken: string,
    tableId: string,
    recordId: string,
    fields: Fields,
  ): Promise<BitableRecord> {
    const path = `${this.#path(appToken, tableId)}/${checkRecordId(recordId)}`;
    checkFields(fields);
    const data = await this.#write<{ record: RawRecord }>(appToken, tableId, {
      method: "PUT",
      path,
      body: { fields },
    });
    return toRecord(data.value.record);
  }

  /** Delete one record. */
  async deleteRecord(appToken: string, tableId: string, recordId: string): Promise<DeletedRecord> {
    const path = `${this.#path(appToken, tableId)}/${checkRecordId(recordId)}`;
    const data = await this.#write<{ deleted: boolean; record_id: string }>(appToken, tableId, {
      method: "DELETE",
      path,
    });
    return { recordId: data.value.record_id, deleted: data.value.deleted };
  }

  /** Search records (filter, sort, fields, view), every page in turn. */
  async *searchRecords(
    appToken: string,
    tableId: string,
    options: SearchOptions = {},
  ): AsyncGenerator<BitableRecord> {
    const path = `${this.#path(appToken, tableId)}/search`;
    checkSearch(options);
    const body = searchBody(options);
    let pageToken: string | undefined;
    do {
      const { data } = await this.#http.request<
        { items?: RawRecord[]; has_more?: boolean; page_token?: string }
      >({
        method: "POST",
        path,
        query: {
          user_id_type: options.userIdType ?? this.#userIdType,
          page_size: options.pageSize ?? MAX_PAGE_SIZE,
          page_token: pageToken,
        },
        body,
        bucket: "bitable_read",
        signal: options.signal,
      });
      for (const item of data.items ?? []) yield toRecord(item);
      pageToken = data.has_more ? data.page_token : undefined;
    } while (pageToken);
  }

  /** Create many records: chunks of ≤ 1,000, one after another, per-chunk results. */
  async batchCreate(
    appToken: string,
    tableId: string,
    records: readonly Fields[],
    options: BatchOptions = {},
  ): Promise<BatchResult<BitableRecord>> {
    const path = `${this.#path(appToken, tableId)}/batch_create`;
    records.forEach((f, i) => checkFields(f, `records[${i}].fields`));
    return await runChunks(records, MAX_BATCH_WRITE, options, async (items) => {
      const out = await this.#write<{ records: RawRecord[] }>(appToken, tableId, {
        method: "POST",
        path,
        query: { client_token: crypto.randomUUID() },
        body: { records: items.map((fields) => ({ fields })) },
        signal: options.signal,
      });
      return { items: out.value.records.map(toRecord), attempts: out.attempts };
    });
  }

  /** Update many records (`recordId` + fields): chunks of ≤ 1,000, per-chunk results. */
  async batchUpdate(
    appToken: string,
    tableId: string,
    records: readonly BitableRecord[],
    options: BatchOptions = {},
  ): Promise<BatchResult<BitableRecord>> {
    const path = `${this.#path(appToken, tableId)}/batch_update`;
    records.forEach((r, i) => {
      checkRecordId(r.recordId, `records[${i}].record_id`);
      checkFields(r.fields, `records[${i}].fields`);
    });
    return await runChunks(records, MAX_BATCH_WRITE, options, async (items) => {
      const out = await this.#write<{ records: RawRecord[] }>(appToken, tableId, {
        method: "POST",
        path,
        body: { records: items.map((r) => ({ record_id: r.recordId, fields: r.fields })) },
        signal: options.signal,
      });
      return { items: out.value.records.map(toRecord), attempts: out.attempts };
    });
  }

  /** Delete many records: chunks of ≤ 500, per-chunk results. */
  async batchDelete(
    appToken: string,
    tableId: string,
    recordIds: readonly string[],
    options: BatchOptions = {},
  ): Promise<BatchResult<DeletedRecord>> {
    const path = `${this.#path(appToken, tableId)}/batch_delete`;
    recordIds.forEach((id, i) => checkRecordId(id, `records[${i}]`));
    return await runChunks(recordIds, MAX_BATCH_DELETE, options, async (items) => {
      const out = await this.#write<{ records: { deleted: boolean; record_id: string }[] }>(
        appToken,
        tableId,
        {
          method: "POST",
          path,
          body: { records: items },
          signal: options.signal,
        },
      );
      return {
        items: out.value.records.map((r) => ({ recordId: r.record_id, deleted: r.deleted })),
        attempts: out.attempts,
      };
    });
  }

  #path(appToken: string, tableId: string): string {
    return `${BASE}/${checkAppToken(appToken)}/tables/${checkTableId(tableId)}/records`;
  }

  /** One write, queued behind the table's other writes, conflicts retried. */
  #write<T>(
    appToken: string,
    tableId: string,
    req: {
      method: string;
      path: string;
      query?: Record<string, string>;
      body?: unknown;
      signal?: AbortSignal;
    },
  ): Promise<{ value: T; attempts: number }> {
    return this.queue.run(`${appToken}/${tableId}`, async () => {
      const res = await this.#http.request<T>({
        ...req,
        query: { user_id_type: this.#userIdType, ...req.query },
        bucket: "bitable_write",
        retries: this.#writeRetries,
        ids: { app_token: appToken, table_id: tableId },
      });
      return { value: res.data, attempts: res.attempts };
    });
  }
}
