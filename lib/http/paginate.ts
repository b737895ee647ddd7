import type { LarkHttp, LarkRequest } from "./lark_http.ts";

/** Options of {@linkcode paginate}. */
export interface PaginateOptions {
  /** Key of the item array in `data` (default `items`). */
  itemsKey?: string;
  /** Query name of the page size (default `page_size`). */
  pageSizeParam?: string;
  /** Page size to ask for (left out when undefined). */
  pageSize?: number;
}

/**
 * Walk a Feishu list endpoint page by page (`page_token` / `has_more`),
 * yielding items one by one; each page is one call through the client
 * (tokens, retries, rate buckets, typed errors). Stops on `has_more: false`
 * or a missing/repeated `page_token`.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "./lark_http.ts";
 *
 * declare const http: LarkHttp;
 * for await (const event of paginate<{ event_id: string }>(http, { path: "/open-apis/calendar/v4/calendars/c1/events" })) {
 *   console.log(event.event_id);
 * }
 * ```
 */
export async function* paginate<T>(
  http: LarkHttp,
  req: LarkRequest,
  o: PaginateOptions = {},
): AsyncGenerator<T> {
  const key = o.itemsKey ?? "items";
  let pageToken: string | undefined;
  const seen = new Set<string>();
  while (true) {
    const query = { ...req.query, page_token: pageToken };
    if (o.pageSize !== undefined) Object.assign(query, { [o.pageSizeParam ?? "page_size"]: o.pageSize });
    const { data } = await http.request<Record<string, unknown>>({ ...req, query });
    const items = data?.[key];
    if (Array.isArray(items)) yield* items as T[];
    const next = typeof data?.page_token === "string" ? data.page_token : "";
    if (data?.has_more !== true || next === "" || seen.has(next)) return;
    seen.add(next);
    pageToken = next;
  }
}
