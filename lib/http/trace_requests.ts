import { AsyncLocalStorage } from "node:async_hooks";

interface Trace {
  ids: string[];
  parent?: Trace;
}

const current = new AsyncLocalStorage<Trace>();

/** What {@linkcode traceRequests} gives back. */
export interface Traced<T> {
  /** What `fn` resolved with. */
  value: T;
  /** Request ids of every `LarkHttp` call made inside `fn`, in the order they finished. */
  requestIds: string[];
}

/**
 * Run `fn` and collect the request id of every `LarkHttp` call it makes (successful ones;
 * a failed call's id is on its `LarkError`'s `requestId`). This is the one way to
 * get the request id from any API client whose result does not carry it (calendar, docx,
 * bitable, …); concurrent traces do not mix, and an inner trace's ids are also the outer's.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "./lark_http.ts";
 *
 * declare const http: LarkHttp;
 * const { value, requestIds } = await traceRequests(() => http.request({ path: "/open-apis/x" }));
 * console.log(value.data, requestIds); // ["fk-…"]
 * ```
 */
export async function traceRequests<T>(fn: () => Promise<T>): Promise<Traced<T>> {
  const trace: Trace = { ids: [], parent: current.getStore() };
  const value = await current.run(trace, fn);
  return { value, requestIds: trace.ids };
}

/** Note a finished call's request id in every enclosing trace (used by `LarkHttp`). */
export function noteRequestId(requestId: string): void {
  for (let t = current.getStore(); t; t = t.parent) t.ids.push(requestId);
}
