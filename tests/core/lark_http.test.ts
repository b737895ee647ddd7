import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import type { AuthProvider } from "../../lib/auth/auth_provider.ts";
import {
  AuthError,
  BadRequestError,
  LarkError,
  NetworkError,
  PermissionError,
  RateLimitError,
  ServerError,
  SessionError,
} from "../../lib/errors/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { createLogger, MemorySink } from "../../lib/log/mod.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import { attemptsOf } from "../../lib/retry/mod.ts";

/** What the fake Feishu saw. */
interface Seen {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: string;
}

type Handler = (req: Request, seen: Seen, n: number) => Response | Promise<Response>;

/** Run `fn` against a real HTTP server on 127.0.0.1:0 answering with `handler`. */
async function withServer(
  handler: Handler,
  fn: (base: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const s: Seen = {
      method: req.method,
      path: url.pathname,
      search: url.search,
      headers: req.headers,
      body: await req.text(),
    };
    seen.push(s);
    return await handler(req, s, seen.length);
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`, seen);
  } finally {
    await server.shutdown();
  }
}

const LOG_ID = "20260101120000AABBCCDDEEFF001122";

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "x-tt-logid": LOG_ID, ...headers },
  });
}

/** An AuthProvider handing out tenant tokens; `invalidate` rotates to the next one. */
function tokenAuth(tokens: string[]) {
  let i = 0;
  const invalidated: Record<string, string>[] = [];
  const auth: AuthProvider = {
    label: "tenant:cli_test",
    headers: () => Promise.resolve({ Authorization: `Bearer ${tokens[i]}` }),
    invalidate: (used) => {
      invalidated.push(used);
      i = Math.min(i + 1, tokens.length - 1);
      return Promise.resolve(true);
    },
  };
  return { auth, invalidated };
}

const OLD = "t-g1044old0000000000000000000000000";
const NEW = "t-g1044new1111111111111111111111111";
const fast = { baseMs: 10, random: () => 0.5 };

Deno.test("success: returns data, logId from X-Tt-Logid, sends Oapi-Sdk-Request-Id", async () => {
  await withServer(
    () => json({ code: 0, msg: "success", data: { items: [{ contract_id: "7001" }], has_more: false } }),
    async (base, seen) => {
      const { auth } = tokenAuth([OLD]);
      const http = new LarkHttp({ baseUrl: base + "/", auth });
      const res = await http.request<{ items: { contract_id: string }[] }>({
        method: "POST",
        path: "/open-apis/contract/v1/contracts/search",
        query: { user_id_type: "user_id", page_size: 10, skip: undefined },
        body: { contract_number: "HT-2026-001" },
      });
      assert.deepEqual(res.data, { items: [{ contract_id: "7001" }], has_more: false });
      assert.equal(res.status, 200);
      assert.equal(res.logId, LOG_ID);
      assert.equal(res.attempts, 1);
      assert.equal(res.rateLimitWaitMs, 0);
      assert.equal(res.body.msg, "success");
      assert.match(res.requestId, /^fk-/);
      assert.equal(seen.length, 1);
      const s = seen[0];
      assert.equal(s.method, "POST");
      assert.equal(s.path, "/open-apis/contract/v1/contracts/search");
      assert.equal(s.search, "?user_id_type=user_id&page_size=10");
      assert.equal(s.headers.get("oapi-sdk-request-id"), res.requestId);
      assert.equal(s.headers.get("x-request-id"), null, "no X-Request-Id (the Go SDK rejects it)");
      assert.equal(s.headers.get("authorization"), `Bearer ${OLD}`);
      assert.match(s.headers.get("content-type") ?? "", /application\/json/);
      assert.deepEqual(JSON.parse(s.body), { contract_number: "HT-2026-001" });
      // Request ids are unique per call.
      const again = await http.request({ path: "/x" });
      assert.notEqual(again.requestId, res.requestId);
    },
  );
});

Deno.test("success without data (action API) and X-Request-Id fallback for the log id", async () => {
  await withServer(
    () =>
      new Response(JSON.stringify({ code: 0, msg: "ok" }), {
        headers: { "content-type": "application/json", "x-request-id": "REQ-FALLBACK" },
      }),
    async (base) => {
      const res = await new LarkHttp({ baseUrl: base }).request({ method: "DELETE", path: "/open-apis/x" });
      assert.equal(res.data, undefined);
      assert.equal(res.logId, "REQ-FALLBACK");
    },
  );
});

Deno.test("non-zero code on HTTP 200 -> typed error with code, logId, requestId; not retried", async () => {
  await withServer(
    () =>
      json({
        code: 99991672,
        msg: "Access denied. One of the following scopes is required: [contract:contract:readonly]",
        error: { log_id: "BODY-LOG", permission_violations: [{ type: "action_privilege_required" }] },
      }),
    async (base, seen) => {
      const http = new LarkHttp({ baseUrl: base, retry: fast });
      const err = await http.request({ path: "/open-apis/contract/v1/contracts/1", bucket: "contract_get" })
        .catch(
          (e) => e,
        );
      assert.ok(err instanceof PermissionError, String(err));
      assert.equal(err.code, 99991672);
      assert.equal(err.httpStatus, 200);
      assert.equal(err.logId, LOG_ID, "the header wins over error.log_id");
      assert.equal(err.requestId, seen[0].headers.get("oapi-sdk-request-id"));
      assert.equal(err.endpoint, "contract_get");
      assert.match(err.message, /Access denied/);
      assert.equal(attemptsOf(err), 1);
      assert.equal(seen.length, 1);
    },
  );
});

Deno.test("non-zero code on HTTP 400 -> typed error; error.log_id used when the header is missing", async () => {
  await withServer(
    () =>
      new Response(
        JSON.stringify({
          code: 1234001,
          msg: "field validation failed",
          error: { log_id: "BODY-LOG-2", field_violations: [{ field: "receive_id", description: "bad" }] },
        }),
        { status: 400, headers: { "content-type": "application/json" } },
      ),
    async (base, seen) => {
      const http = new LarkHttp({ baseUrl: base, retry: fast });
      const err = await http.request({ method: "POST", path: "/open-apis/im/v1/messages", body: {} }).catch((
        e,
      ) => e);
      assert.ok(err instanceof BadRequestError, String(err));
      assert.equal(err.code, 1234001);
      assert.equal(err.httpStatus, 400);
      assert.equal(err.logId, "BODY-LOG-2");
      assert.equal(err.requestId, seen[0].headers.get("oapi-sdk-request-id"));
      assert.equal(err.endpoint, "/open-apis/im/v1/messages");
      assert.equal(seen.length, 1);
    },
  );
});

Deno.test("code 0 on an HTTP error status is not a success", async () => {
  await withServer(() => json({ code: 0, msg: "ok?" }, 404), async (base) => {
    const err = await new LarkHttp({ baseUrl: base }).request({ path: "/x" }).catch((e) => e);
    assert.ok(err instanceof LarkError);
    assert.equal(err.kind, "not_found");
  });
});

Deno.test("HTTP 429 + 99991400 + x-ogw-ratelimit-reset: 1 -> waits the reset, pauses the bucket, retries", async () => {
  await withServer(
    (_req, _s, n) =>
      n === 1
        ? json({ code: 99991400, msg: "request trigger frequency limit" }, 429, {
          "x-ogw-ratelimit-limit": "50",
          "x-ogw-ratelimit-reset": "1",
        })
        : json({ code: 0, msg: "success", data: { message_id: "om_1" } }),
    async (base, seen) => {
      const limiter = new RateLimiter({
        buckets: { global: { perSecond: 100 }, im_send: { perSecond: 50 } },
      });
      const sink = new MemorySink();
      const http = new LarkHttp({
        baseUrl: base,
        limiter,
        logger: createLogger({ sinks: [sink], level: "debug" }),
        retry: { random: () => 0 },
      });
      const t0 = performance.now();
      const res = await http.request({
        method: "POST",
        path: "/open-apis/im/v1/messages",
        bucket: "im_send",
        body: {},
      });
      const elapsed = performance.now() - t0;
      assert.deepEqual(res.data, { message_id: "om_1" });
      assert.equal(res.attempts, 2);
      assert.equal(seen.length, 2);
      assert.ok(elapsed >= 990 && elapsed < 1800, `waited ${elapsed.toFixed(0)} ms`);
      assert.equal(http.throttledCount, 1);
      assert.equal(limiter.stats("im_send")!.pauses, 1, "the endpoint bucket was paused");
      assert.equal(limiter.stats("im_send")!.granted, 2);
      assert.equal(limiter.stats("global")!.pauses, 0);
      // Both attempts carry the same request id.
      assert.equal(seen[0].headers.get("oapi-sdk-request-id"), seen[1].headers.get("oapi-sdk-request-id"));
      const retryLine = sink.records.find((r) => r.event === "retry");
      assert.ok(retryLine, "a retry line is logged");
      assert.equal(retryLine.code, 99991400);
      assert.ok((retryLine.delay_ms as number) >= 1000);
    },
  );
});

Deno.test("99991400 on HTTP 400 (older APIs) is throttling too", async () => {
  await withServer(
    (_r, _s, n) =>
      n === 1
        ? json({ code: 99991400, msg: "request trigger frequency limit" }, 400, {
          "x-ogw-ratelimit-reset": "0",
        })
        : json({ code: 0, data: { ok: true } }),
    async (base, seen) => {
      const http = new LarkHttp({ baseUrl: base, retry: { random: () => 0 } });
      const res = await http.request({ path: "/open-apis/docx/v1/documents/x/blocks" });
      assert.equal(res.attempts, 2);
      assert.equal(seen.length, 2);
      assert.equal(http.throttledCount, 1);
    },
  );
  // With no retries left the typed error carries the reset time.
  await withServer(
    () =>
      json({ code: 99991400, msg: "request trigger frequency limit" }, 400, { "x-ogw-ratelimit-reset": "7" }),
    async (base) => {
      const http = new LarkHttp({ baseUrl: base, retry: { retries: 0 } });
      const err = await http.request({ path: "/x", bucket: "docx" }).catch((e) => e);
      assert.ok(err instanceof RateLimitError, String(err));
      assert.equal(err.retryAfterMs, 7000);
      assert.equal(err.httpStatus, 400);
      assert.equal(err.logId, LOG_ID);
    },
  );
});

Deno.test("plain-text 429 from a gateway still honours x-ogw-ratelimit-reset", async () => {
  await withServer(
    (_r, _s, n) =>
      n === 1
        ? new Response("Too Many Requests", {
          status: 429,
          headers: { "content-type": "text/plain", "x-ogw-ratelimit-reset": "0.3" },
        })
        : json({ code: 0, data: {} }),
    async (base) => {
      const limiter = new RateLimiter({ buckets: { global: {}, minutes: { perSecond: 5 } } });
      // A large backoff base makes it visible whether the header or the backoff was used.
      const http = new LarkHttp({ baseUrl: base, limiter, retry: { baseMs: 2000, random: () => 0 } });
      const t0 = performance.now();
      const res = await http.request({ path: "/open-apis/minutes/v1/minutes/x", bucket: "minutes" });
      const elapsed = performance.now() - t0;
      assert.equal(res.attempts, 2);
      assert.ok(elapsed >= 290 && elapsed < 1200, `waited ${elapsed.toFixed(0)} ms, expected ~300`);
      assert.equal(limiter.stats("minutes")!.pauses, 1);
      assert.equal(http.throttledCount, 1);
    },
  );
});

Deno.test("5xx is retried, then succeeds (attempts = 2)", async () => {
  await withServer(
    (_r, _s, n) =>
      n === 1
        ? new Response("<html>502 Bad Gateway</html>", { status: 502 })
        : json({ code: 0, data: { v: 1 } }),
    async (base, seen) => {
      const http = new LarkHttp({ baseUrl: base, retry: fast });
      const res = await http.request({ path: "/open-apis/x" });
      assert.deepEqual(res.data, { v: 1 });
      assert.equal(res.attempts, 2);
      assert.equal(seen.length, 2);
    },
  );
  // JSON 5xx and internal-error codes too; after the retries the typed error is thrown.
  await withServer(() => json({ code: 5000, msg: "internal error" }, 500), async (base, seen) => {
    const http = new LarkHttp({ baseUrl: base, retry: { ...fast, retries: 2 } });
    const err = await http.request({ path: "/open-apis/x" }).catch((e) => e);
    assert.ok(err instanceof ServerError);
    assert.equal(err.code, 5000);
    assert.equal(attemptsOf(err), 3);
    assert.equal(seen.length, 3);
  });
});

Deno.test("connect timeout (server never answers) -> NetworkError{timeout: true} after the retries", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const accepting = (async () => {
    try {
      for await (const c of listener) conns.push(c); // accept, read nothing, answer nothing
    } catch { /* closed */ }
  })();
  try {
    const http = new LarkHttp({
      baseUrl: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
      connectTimeoutMs: 150,
      retry: { retries: 2, baseMs: 20, random: () => 0.5 },
    });
    const t0 = performance.now();
    const err = await http.request({ path: "/open-apis/slow", bucket: "slow" }).catch((e) => e);
    const elapsed = performance.now() - t0;
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.timeout, true);
    assert.equal(err.retryable, true);
    assert.equal(err.endpoint, "slow");
    assert.match(err.hint, /超时/);
    assert.equal(attemptsOf(err), 3);
    assert.ok(elapsed >= 3 * 150 && elapsed < 2000, `took ${elapsed.toFixed(0)} ms`);
    assert.ok(conns.length >= 1);
  } finally {
    listener.close();
    for (const c of conns) {
      try {
        c.close();
      } catch { /* already closed */ }
    }
    await accepting;
  }
});

Deno.test("connection refused -> NetworkError{timeout: false}", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const http = new LarkHttp({ baseUrl: `http://127.0.0.1:${port}`, retry: { retries: 1, baseMs: 5 } });
  const err = await http.request({ path: "/x" }).catch((e) => e);
  assert.ok(err instanceof NetworkError, String(err));
  assert.equal(err.timeout, false);
  assert.equal(attemptsOf(err), 2);
});

Deno.test("total timeout covers a body that never ends", async () => {
  let stop: (() => void) | undefined;
  await withServer(
    () => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"code":0,'));
          stop = () => {
            try {
              c.close();
            } catch { /* cancelled */ }
          };
        },
      });
      return new Response(body, { headers: { "content-type": "application/json" } });
    },
    async (base) => {
      const http = new LarkHttp({ baseUrl: base, totalTimeoutMs: 200, retry: { retries: 0 } });
      const err = await http.request({ path: "/x" }).catch((e) => e);
      stop?.();
      assert.ok(err instanceof NetworkError, String(err));
      assert.equal(err.timeout, true);
    },
  );
});

Deno.test("token refused (99991663) -> invalidate once with the sent headers, retried with a new token", async () => {
  await withServer(
    (req) =>
      req.headers.get("authorization") === `Bearer ${NEW}` ? json({ code: 0, data: { ok: 1 } }) : json({
        code: 99991663,
        msg: "Invalid access token for authorization. Please make a request with token attached.",
      }, 400),
    async (base, seen) => {
      const { auth, invalidated } = tokenAuth([OLD, NEW]);
      const http = new LarkHttp({ baseUrl: base, auth, retry: fast });
      const res = await http.request({ path: "/open-apis/x" });
      assert.deepEqual(res.data, { ok: 1 });
      assert.equal(res.attempts, 2);
      assert.deepEqual(invalidated, [{ Authorization: `Bearer ${OLD}` }]);
      assert.deepEqual(seen.map((s) => s.headers.get("authorization")), [`Bearer ${OLD}`, `Bearer ${NEW}`]);
    },
  );
});

Deno.test("token refused twice -> the second refusal is final", async () => {
  await withServer(
    () => json({ code: 99991663, msg: "Invalid access token for authorization." }, 400),
    async (base, seen) => {
      const { auth, invalidated } = tokenAuth([OLD, NEW]);
      const http = new LarkHttp({ baseUrl: base, auth, retry: fast });
      const err = await http.request({ path: "/open-apis/x" }).catch((e) => e);
      assert.ok(err instanceof AuthError, String(err));
      assert.equal(err.code, 99991663);
      assert.equal(err.tokenInvalid, true);
      assert.equal(err.tokenKind, "tenant");
      assert.equal(attemptsOf(err), 2);
      assert.equal(invalidated.length, 1);
      assert.equal(seen.length, 2);
    },
  );
});

Deno.test("99991668 'not support' -> PermissionError, no token refresh", async () => {
  await withServer(
    () => json({ code: 99991668, msg: "user access token not support" }, 400),
    async (base, seen) => {
      const { auth, invalidated } = tokenAuth([OLD, NEW]);
      const err = await new LarkHttp({ baseUrl: base, auth, retry: fast }).request({ path: "/x" }).catch((
        e,
      ) => e);
      assert.ok(err instanceof PermissionError);
      assert.equal(invalidated.length, 0);
      assert.equal(seen.length, 1);
    },
  );
});

Deno.test("auth: null sends no credentials; a per-request provider overrides the client's", async () => {
  await withServer(() => json({ code: 0, data: {} }), async (base, seen) => {
    const { auth } = tokenAuth([OLD]);
    const other = tokenAuth([NEW]).auth;
    const http = new LarkHttp({ baseUrl: base, auth });
    await http.request({ path: "/a", auth: null });
    await http.request({ path: "/b", auth: other, headers: { "X-Extra": "1" } });
    assert.equal(seen[0].headers.get("authorization"), null);
    assert.equal(seen[1].headers.get("authorization"), `Bearer ${NEW}`);
    assert.equal(seen[1].headers.get("x-extra"), "1");
  });
});

const cookieAuth: AuthProvider = {
  label: "cookie:contract.feishu.cn",
  headers: () => Promise.resolve({ Cookie: "session=XN0YXJ0-abcdef-session-cookie-value" }),
};

Deno.test("cookie auth: 401, 302 to login and HTML 200 -> SessionError, not retried", async () => {
  const answers: Record<string, () => Response> = {
    "/401": () => json({ code: 401, msg: "unauthorized" }, 401),
    "/302": () => new Response(null, { status: 302, headers: { location: "/accounts/login" } }),
    "/html": () =>
      new Response("<!DOCTYPE html><html><body>请登录</body></html>", {
        headers: { "content-type": "text/html; charset=utf-8" },
      }),
  };
  await withServer(
    (_r, s) => answers[s.path]?.() ?? new Response("login page", { status: 200 }),
    async (base, seen) => {
      const http = new LarkHttp({ baseUrl: base, auth: cookieAuth, retry: fast });
      for (const path of Object.keys(answers)) {
        const before = seen.length;
        const err = await http.request({ path, bucket: "clm" }).catch((e) => e);
        assert.ok(err instanceof SessionError, `${path}: ${err}`);
        assert.equal(err.retryable, false);
        assert.match(err.hint, /contract\.feishu\.cn/);
        assert.equal(attemptsOf(err), 1, path);
        assert.equal(seen.length - before, 1, `${path}: one request, no retry, redirect not followed`);
      }
      assert.ok(!seen.some((s) => s.path === "/accounts/login"));
      assert.equal(seen[0].headers.get("cookie"), "session=XN0YXJ0-abcdef-session-cookie-value");
    },
  );
});

Deno.test("non-cookie auth: HTML 200 is a plain LarkError, not a SessionError; 401 keeps its code", async () => {
  await withServer(
    (_r, s) =>
      s.path === "/html"
        ? new Response("<html>proxy</html>", { headers: { "content-type": "text/html" } })
        : json({ code: 99991661, msg: "Missing access token" }, 401),
    async (base) => {
      const http = new LarkHttp({ baseUrl: base, auth: tokenAuth([OLD]).auth, retry: fast });
      const html = await http.request({ path: "/html" }).catch((e) => e);
      assert.ok(html instanceof LarkError && !(html instanceof SessionError));
      assert.match(html.message, /non-JSON/);
      const e401 = await http.request({ path: "/401" }).catch((e) => e);
      assert.ok(e401 instanceof BadRequestError, "99991661 is a bug in the request");
      assert.equal(e401.httpStatus, 401);
      assert.equal(attemptsOf(e401), 1);
    },
  );
});

Deno.test('envelope: "flat" returns the whole body (auth v3 token endpoint)', async () => {
  await withServer(
    () => json({ code: 0, msg: "ok", tenant_access_token: "t-g1044flat000000000000", expire: 7200 }),
    async (base, seen) => {
      const http = new LarkHttp({ baseUrl: base });
      const res = await http.request<{ tenant_access_token: string; expire: number }>({
        method: "POST",
        path: "/open-apis/auth/v3/tenant_access_token/internal",
        body: { app_id: "cli_a1b2c3d4e5f60718", app_secret: "secret" },
        auth: null,
        envelope: "flat",
      });
      assert.equal(res.data.tenant_access_token, "t-g1044flat000000000000");
      assert.equal(res.data.expire, 7200);
      assert.equal((res.data as unknown as Record<string, unknown>).code, 0);
      assert.equal(seen[0].headers.get("authorization"), null);
      // The default envelope on the same answer gives undefined data.
      const d = await http.request({ path: "/x", auth: null });
      assert.equal(d.data, undefined);
    },
  );
});

Deno.test("stream(): binary 200 returns an unread body", async () => {
  const bytes = new Uint8Array(64 * 1024).map((_, i) => i % 251);
  await withServer(
    () =>
      new Response(bytes, {
        headers: {
          "content-type": "application/octet-stream",
          "content-disposition": 'attachment; filename="a.bin"',
          "x-tt-logid": LOG_ID,
        },
      }),
    async (base) => {
      const http = new LarkHttp({ baseUrl: base, auth: tokenAuth([OLD]).auth });
      const r = await http.stream({ path: "/open-apis/drive/v1/medias/box/download", bucket: "media" });
      assert.equal(r.response.bodyUsed, false);
      assert.equal(r.logId, LOG_ID);
      assert.equal(r.attempts, 1);
      assert.equal(r.response.headers.get("content-disposition"), 'attachment; filename="a.bin"');
      const got = new Uint8Array(await r.response.arrayBuffer());
      assert.deepEqual(got, bytes);
    },
  );
});

Deno.test("stream(): a JSON error body throws a typed error", async () => {
  await withServer(
    (_r, s) =>
      s.path === "/perm"
        ? json({ code: 2091005, msg: "permission deny" })
        : s.path === "/ok-json"
        ? json({ code: 0, msg: "success", data: {} })
        : json({ code: 1234, msg: "not found" }, 404),
    async (base, seen) => {
      const http = new LarkHttp({ baseUrl: base, retry: fast });
      const perm = await http.stream({ path: "/perm" }).catch((e) => e);
      assert.ok(perm instanceof PermissionError, String(perm));
      assert.equal(perm.code, 2091005);
      assert.equal(perm.logId, LOG_ID);
      const nf = await http.stream({ path: "/nf" }).catch((e) => e);
      assert.ok(nf instanceof LarkError);
      assert.equal(nf.kind, "not_found");
      const okJson = await http.stream({ path: "/ok-json" }).catch((e) => e);
      assert.ok(okJson instanceof LarkError, "a JSON success where a file was expected is an error");
      assert.equal(seen.length, 3, "none of these is retried");
    },
  );
});

Deno.test("stream(): 5xx is retried, then the file is returned", async () => {
  await withServer(
    (_r, _s, n) =>
      n === 1
        ? new Response("busy", { status: 503 })
        : new Response("FILE", { headers: { "content-type": "video/mp4" } }),
    async (base) => {
      const r = await new LarkHttp({ baseUrl: base, retry: fast }).stream({ path: "/m" });
      assert.equal(r.attempts, 2);
      assert.equal(await r.response.text(), "FILE");
    },
  );
});

Deno.test("abort: cancels an in-flight request", async () => {
  let release: (() => void) | undefined;
  const hold = new Promise<void>((r) => release = r);
  await withServer(async () => {
    await hold;
    return json({ code: 0, data: {} });
  }, async (base, seen) => {
    const http = new LarkHttp({ baseUrl: base, retry: fast });
    const ac = new AbortController();
    const reason = new DOMException("user cancelled", "AbortError");
    const pending = http.request({ path: "/slow", signal: ac.signal }).catch((e) => e);
    await waitFor(() => seen.length === 1, { what: "the request at the server" });
    const t0 = performance.now();
    ac.abort(reason);
    const err = await pending;
    assert.equal(err, reason);
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(seen.length, 1, "not retried");
    release!();
  });
});

Deno.test("abort: cancels the wait between retries and the wait for a rate slot", async () => {
  await withServer(() => new Response("down", { status: 503 }), async (base, seen) => {
    const http = new LarkHttp({ baseUrl: base, retry: { baseMs: 10_000 } });
    const ac = new AbortController();
    const pending = http.request({ path: "/x", signal: ac.signal });
    await waitFor(() => seen.length === 1, { what: "the first attempt" });
    const t0 = performance.now();
    ac.abort(new Error("stop waiting"));
    await assert.rejects(pending, /stop waiting/);
    assert.ok(performance.now() - t0 < 5000, "the 10 s backoff was cut short");
    assert.equal(seen.length, 1);
  });
  {
    const limiter = new RateLimiter({ buckets: { global: {}, slow: { perMinute: 1 } } });
    const http = new LarkHttp({ baseUrl: "http://127.0.0.1:9", limiter });
    limiter.pause("slow", Date.now() + 60_000);
    const ac = new AbortController();
    const pending = http.request({ path: "/x", bucket: "slow", signal: ac.signal });
    queueMicrotask(() => ac.abort(new Error("gave up")));
    await assert.rejects(pending, /gave up/);
    const ac2 = new AbortController();
    ac2.abort(new Error("before start"));
    await assert.rejects(http.stream({ path: "/x", bucket: "slow", signal: ac2.signal }), /before start/);
  }
});

Deno.test("logs one masked line per attempt; the token never reaches the log", async () => {
  await withServer(
    (_r, _s, n) =>
      n === 1 ? json({ code: 1254290, msg: "TooManyRequest" }, 200) : json({ code: 0, data: {} }),
    async (base) => {
      const sink = new MemorySink();
      const http = new LarkHttp({
        baseUrl: base,
        auth: tokenAuth([OLD]).auth,
        logger: createLogger({ sinks: [sink], level: "debug" }),
        retry: fast,
      });
      await http.request({
        path: "/open-apis/bitable/v1/x",
        bucket: "bitable_read",
        step: "s1",
        ids: { table: "tbl1" },
      });
      const http_lines = sink.records.filter((r) => r.event === "http");
      assert.equal(http_lines.length, 2);
      assert.deepEqual(http_lines.map((r) => [r.level, r.code, r.attempt]), [["info", 1254290, 1], [
        "debug",
        0,
        2,
      ]]);
      for (const r of http_lines) {
        assert.equal(r.log_id, LOG_ID);
        assert.equal(r.endpoint, "bitable_read");
        assert.equal(r.step, "s1");
        assert.equal(r.table, "tbl1");
        assert.match(String(r.request_id), /^fk-/);
      }
      assert.ok(!JSON.stringify(sink.records).includes(OLD));
    },
  );
});
