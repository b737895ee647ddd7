import type { AuthProvider } from "../auth/auth_provider.ts";
import { LarkError } from "../errors/lark_error.ts";
import { ParamError } from "../errors/param_error.ts";
import type { LarkHttp, LarkRequest } from "../http/lark_http.ts";
import { classifyApaasError } from "./_classify.ts";
import { checkName, checkPageSize, checkRecords, checkToken, checkUserAuth } from "./_validate.ts";
import type {
  ApaasCallOptions,
  ApaasRecord,
  ApaasRecordPage,
  ApaasRecordQuery,
  ApaasTableInfo,
  ApaasTableSchema,
} from "./apaas_types.ts";
import { ApaasRecordFilter, orderParam } from "./record_filter.ts";

/** Rate buckets of aPaaS: workspace tables 10/s; flow execute 100/min. */
export const APAAS_BUCKETS = {
  apaas_table: { perSecond: 10 },
  apaas_flow: { perMinute: 100 },
} as const;

/** Most records per write call (insert, batch update). */
export const APAAS_WRITE_MAX = 500;
/** Largest page of a record query. */
export const APAAS_PAGE_MAX = 500;

const SCOPE = {
  table: ["app_engine:workspace.table:read"],
  read: ["app_engine:workspace.table.record:read"],
  write: ["app_engine:workspace.table.record:write"],
};

/**
 * Tables of one aPaaS workspace (`apaas/v1/workspaces/:workspace_id/…`;
 * open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/workspace-table/list): list tables, read a
 * schema, query records (filter, order, select, paged transparently), insert,
 * partial update by filter, batch update by `_id` (500 per call, chunked), delete
 * by filter. Always with a user access token; a missing scope is an
 * {@linkcode ApaasScopeError} naming it; version conflicts and quotas have their
 * own typed errors.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import type { TokenManager } from "../token/token_manager.ts";
 * import { apaasWhere } from "./record_filter.ts";
 *
 * declare const http: LarkHttp;
 * declare const tokens: TokenManager, appId: string, userId: string;
 * const ws = new ApaasWorkspace(http, { workspaceId: "workspace_aadimx5uzpsls", auth: tokens.userAuth(appId, userId) });
 * for await (const r of ws.query("customers", { filter: apaasWhere.gt("age", 30), order: [{ column: "age" }] })) {
 *   console.log(r.name);
 * }
 * ```
 */
export class ApaasWorkspace {
  #http: LarkHttp;
  #auth: AuthProvider;
  /** The workspace id. */
  readonly workspaceId: string;

  /** Bind to a workspace with a user's credentials (refused before any request otherwise). */
  constructor(http: LarkHttp, options: { workspaceId: string; auth: AuthProvider }) {
    this.#http = http;
    this.workspaceId = checkToken("workspaceId", options.workspaceId);
    this.#auth = checkUserAuth(options.auth);
  }

  /** Every table of the workspace. */
  async *tables(o: ApaasCallOptions = {}): AsyncGenerator<ApaasTableInfo> {
    let pageToken: string | undefined;
    do {
      const data = await this.#call<
        { items?: Record<string, unknown>[]; has_more?: boolean; page_token?: string }
      >(
        { path: this.#path("tables"), query: { page_size: 100, page_token: pageToken } },
        SCOPE.table,
        o,
      );
      for (const t of data.items ?? []) yield { name: String(t.name ?? ""), description: str(t.description) };
      pageToken = data.has_more ? data.page_token || undefined : undefined;
    } while (pageToken);
  }

  /** A table's columns. */
  async schema(table: string, o: ApaasCallOptions = {}): Promise<ApaasTableSchema> {
    checkName("table", table);
    const d = await this.#call<Record<string, unknown>>(
      { path: this.#path(`tables/${table}`) },
      SCOPE.table,
      o,
    );
    const cols = Array.isArray(d.columns) ? d.columns as Record<string, unknown>[] : [];
    return {
      name: String(d.name ?? table),
      description: str(d.description),
      columns: cols.map((c) => ({
        name: String(c.name ?? ""),
        dataType: String(c.data_type ?? ""),
        primaryKey: c.is_primary_key === true,
        nullable: c.is_nullable !== false,
        unique: c.is_unique === true,
        description: str(c.description),
      })),
    };
  }

  /** One page of a query (`pageToken` from the previous page). */
  async queryPage(
    table: string,
    q: ApaasRecordQuery = {},
    pageToken?: string,
    o: ApaasCallOptions = {},
  ): Promise<ApaasRecordPage> {
    checkName("table", table);
    q.select?.forEach((c, i) => checkName(`select[${i}]`, c));
    if (q.filter !== undefined && !(q.filter instanceof ApaasRecordFilter)) {
      throw new ParamError("filter", "请用 apaasWhere.* 构造筛选条件");
    }
    const d = await this.#call<{ items?: string; total?: number; has_more?: boolean; page_token?: string }>(
      {
        path: this.#path(`tables/${table}/records`),
        query: {
          select: q.select?.join(","),
          filter: q.filter?.toString(),
          order: q.order ? orderParam(q.order) : undefined,
          page_size: checkPageSize(q.pageSize, APAAS_PAGE_MAX, 100),
          page_token: pageToken,
        },
      },
      SCOPE.read,
      o,
    );
    const records = typeof d.items === "string" && d.items !== "" ? JSON.parse(d.items) : [];
    if (!Array.isArray(records)) {
      throw new LarkError("items is not a JSON array", { hint: "aPaaS 返回的记录格式异常。" });
    }
    return {
      records,
      total: Number(d.total ?? records.length),
      pageToken: d.has_more && d.page_token ? d.page_token : undefined,
    };
  }

  /** Every matching record, page after page. */
  async *query(
    table: string,
    q: ApaasRecordQuery = {},
    o: ApaasCallOptions = {},
  ): AsyncGenerator<ApaasRecord> {
    let token: string | undefined;
    do {
      const page = await this.queryPage(table, q, token, o);
      yield* page.records;
      token = page.pageToken;
    } while (token);
  }

  /** Insert records (500 per call, chunked); the new `_id`s in order. */
  async insert(table: string, records: readonly ApaasRecord[], o: ApaasCallOptions = {}): Promise<string[]> {
    checkName("table", table);
    checkRecords("records", records, false);
    const ids: string[] = [];
    for (let i = 0; i < records.length; i += APAAS_WRITE_MAX) {
      const d = await this.#call<{ record_ids?: string[] }>(
        {
          method: "POST",
          path: this.#path(`tables/${table}/records`),
          body: { records: JSON.stringify(records.slice(i, i + APAAS_WRITE_MAX)) },
        },
        SCOPE.write,
        o,
      );
      ids.push(...d.record_ids ?? []);
    }
    return ids;
  }

  /** Set `changes` on every record matching `filter` (a partial update); the updated `_id`s. */
  async update(
    table: string,
    filter: ApaasRecordFilter,
    changes: ApaasRecord,
    o: ApaasCallOptions = {},
  ): Promise<string[]> {
    checkName("table", table);
    if (!(filter instanceof ApaasRecordFilter)) {
      throw new ParamError("filter", "更新必须带筛选条件（apaasWhere.*）");
    }
    checkRecords("changes", [changes], false);
    if (Object.keys(changes).length === 0) throw new ParamError("changes", "至少需要修改一个字段");
    const d = await this.#call<{ record_ids?: string[] }>(
      {
        method: "PATCH",
        path: this.#path(`tables/${table}/records`),
        query: { filter: filter.toString() },
        body: { record: JSON.stringify(changes) },
      },
      SCOPE.write,
      o,
    );
    return d.record_ids ?? [];
  }

  /**
   * Update records by `_id` (each may carry `_version` to refuse stale writes),
   * 500 per call; every record must change the same columns. Returns the
   * updated `_id`s per chunk, so a failure names the chunks already written.
   */
  async batchUpdate(
    table: string,
    records: readonly ApaasRecord[],
    o: ApaasCallOptions = {},
  ): Promise<string[][]> {
    checkName("table", table);
    checkRecords("records", records, true);
    const out: string[][] = [];
    for (let i = 0; i < records.length; i += APAAS_WRITE_MAX) {
      const d = await this.#call<{ record_ids?: string[] }>(
        {
          method: "PATCH",
          path: this.#path(`tables/${table}/records_batch_update`),
          body: { records: JSON.stringify(records.slice(i, i + APAAS_WRITE_MAX)) },
        },
        SCOPE.write,
        o,
      );
      out.push(d.record_ids ?? []);
    }
    return out;
  }

  /** Delete every record matching `filter` (required); the deleted `_id`s. */
  async delete(table: string, filter: ApaasRecordFilter, o: ApaasCallOptions = {}): Promise<string[]> {
    checkName("table", table);
    if (!(filter instanceof ApaasRecordFilter)) {
      throw new ParamError("filter", "删除必须带筛选条件（apaasWhere.*）");
    }
    const d = await this.#call<{ record_ids?: string[] }>(
      {
        method: "DELETE",
        path: this.#path(`tables/${table}/records`),
        query: { filter: filter.toString() },
      },
      SCOPE.write,
      o,
    );
    return d.record_ids ?? [];
  }

  #path(rest: string): string {
    return `/open-apis/apaas/v1/workspaces/${this.workspaceId}/${rest}`;
  }

  async #call<T>(req: Omit<LarkRequest, "auth">, scopes: string[], o: ApaasCallOptions): Promise<T> {
    try {
      const res = await this.#http.request<T>({
        ...req,
        auth: this.#auth,
        signal: o.signal,
        bucket: "apaas_table",
        step: "apaas_table",
        ids: { workspace_id: this.workspaceId },
      });
      return res.data ?? ({} as T);
    } catch (e) {
      throw classifyApaasError(e, scopes);
    }
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
