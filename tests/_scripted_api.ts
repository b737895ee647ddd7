/**
 * A scripted Open API on 127.0.0.1:0 for client unit tests (not a test file
 * itself). Kept beside the sandbox on purpose: these tests need answers a
 * faithful sandbox must never give — an exact per-call sequence (124002,
 * then 121004, then the recording), malformed successes (`data: {}` without
 * `download_url`), errors of other apps' tokens — and check the raw request
 * (query, headers, body). Everything the sandbox serves faithfully (IM send,
 * contact) is tested against the sandbox instead.
 */
import { LarkHttp, type LarkHttpOptions } from "../lib/http/mod.ts";

/** One request the fake saw. */
export interface SeenCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

/** A route answer: a Response, or a value sent as `{code: 0, msg: "success", data: value}`. */
export type RouteHandler = (call: SeenCall, n: number) => Response | unknown | Promise<Response | unknown>;

/** JSON response with Feishu's headers. */
export function larkJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "x-tt-logid": "log-test-1", ...headers },
  });
}

/** Run `fn` against a fake API whose routes are keyed `"GET /open-apis/…"` (path patterns may use `:param`). */
export async function withFakeApi(
  routes: Record<string, RouteHandler>,
  fn: (
    api: { base: string; seen: SeenCall[]; http: (o?: Partial<LarkHttpOptions>) => LarkHttp },
  ) => Promise<void>,
): Promise<void> {
  const seen: SeenCall[] = [];
  const counts = new Map<string, number>();
  const compiled = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(" ");
    const re = new RegExp("^" + pattern.replace(/:[a-z_]+/g, "[^/]+") + "$");
    return { key, method, re, handler };
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const text = await req.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch { /* form or text */ }
    const call: SeenCall = {
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    seen.push(call);
    const route = compiled.find((r) => r.method === req.method && r.re.test(url.pathname));
    if (!route) return larkJson({ code: 404, msg: `no route ${req.method} ${url.pathname}` }, 404);
    const n = (counts.get(route.key) ?? 0) + 1;
    counts.set(route.key, n);
    const out = await route.handler(call, n);
    return out instanceof Response ? out : larkJson({ code: 0, msg: "success", data: out });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    await fn({
      base,
      seen,
      http: (o = {}) => new LarkHttp({ baseUrl: base, retry: { baseMs: 1, capMs: 5 }, ...o }),
    });
  } finally {
    await server.shutdown();
  }
}
