import assert from "node:assert/strict";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { LarkError } from "../../lib/errors/lark_error.ts";
import { createLogger, MemorySink } from "../../lib/log/logger.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";
import { MemoryTokenStore } from "../../lib/token/token_store_memory.ts";
import { TokenManager } from "../../lib/token/token_manager.ts";
import { BACKOFF_DEFAULTS } from "../../lib/retry/backoff.ts";
import { CORE_RETRY, coreRetry } from "../../pipelines/core/core_retry.ts";
import { loadCoreConfig } from "../../pipelines/core/config.ts";
import { createCoreService } from "../../pipelines/core/core_service.ts";
import { type CardJob, CardRouter, SqliteHandledLedger } from "../../lib/callback/mod.ts";
import { SqliteQueue } from "../../lib/queue/mod.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";

/** A clock whose sleeps return at once and are recorded. */
function recordingClock() {
  let t = 1_700_000_000_000;
  const waits: number[] = [];
  return {
    waits,
    clock: { now: () => t, sleep: (ms: number) => (waits.push(ms), t += ms, Promise.resolve()) },
  };
}

/** A fetch answering with `answers` in turn. */
function scripted(answers: (() => Response)[]) {
  let i = 0;
  return ((_input: unknown, _init?: unknown) =>
    Promise.resolve(answers[Math.min(i++, answers.length - 1)]())) as typeof fetch;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-tt-logid": "LOG123", ...headers },
  });

Deno.test("core retry schedule: 1 s, 2 s, 4 s; every retry and its outcome logged", async () => {
  const { waits, clock } = recordingClock();
  const sink = new MemorySink();
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:1",
    fetch: scripted([
      json(500, { code: 2200 }),
      json(500, { code: 2200 }),
      json(500, { code: 2200 }),
      json(200, { code: 0, data: { ok: 1 } }),
    ]),
    clock,
    retry: { ...CORE_RETRY, random: () => 0.5 }, // 0.5 → no jitter
    logger: createLogger({ sinks: [sink], level: "debug" }),
  });
  const res = await http.request<{ ok: number }>({ path: "/open-apis/x", auth: null });
  assert.deepEqual(res.data, { ok: 1 });
  assert.deepEqual(waits, [1000, 2000, 4000]);
  assert.equal(typeof res.requestId, "string");
  const retries = sink.records.filter((r) => r.event === "retry");
  assert.deepEqual(retries.map((r) => [r.attempt, r.wait_ms, r.outcome]), [
    [1, 1000, "retrying"],
    [2, 2000, "retrying"],
    [3, 4000, "retrying"],
  ]);
  assert.ok(retries.every((r) => typeof r.reason === "string" && r.request_id === res.requestId));
  const outcome = sink.records.find((r) => r.event === "retry.outcome")!;
  assert.equal(outcome.outcome, "succeeded");
  assert.equal(outcome.attempts, 4);
});

Deno.test("core retry schedule: throttled answers wait x-ogw-ratelimit-reset, or 30 s when absent", async () => {
  const { waits, clock } = recordingClock();
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:1",
    fetch: scripted([
      json(429, { code: 99991400, msg: "request trigger frequency limit" }, { "x-ogw-ratelimit-reset": "3" }),
      json(429, { code: 99991400, msg: "request trigger frequency limit" }),
      json(200, { code: 0, data: {} }),
    ]),
    clock,
    retry: { ...CORE_RETRY, random: () => 0 },
  });
  await http.request({ path: "/open-apis/x", auth: null });
  assert.deepEqual(waits, [3000, 30_000]);
});

Deno.test("the workflows' own default schedule is unchanged (500 ms × 2, cap 10 s)", () => {
  assert.deepEqual(BACKOFF_DEFAULTS, { baseMs: 500, factor: 2, capMs: 10_000, jitter: 0.2 });
});

Deno.test("an unknown Feishu code becomes a typed error with the raw code, log id and request id", async () => {
  const { clock } = recordingClock();
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:1",
    fetch: scripted([json(400, { code: 1234567, msg: "something new" })]),
    clock,
    retry: CORE_RETRY,
  });
  const err = await http.request({ path: "/open-apis/x", auth: null }).catch((e) => e);
  assert.ok(err instanceof LarkError);
  assert.equal(err.code, 1234567);
  assert.equal(err.logId, "LOG123");
  assert.match(err.requestId ?? "", /^fk-/);
  assert.ok(err.hint.length > 0);
});

Deno.test("every token refresh is one token.refresh event with type, reason and result; its call one http line", async () => {
  const sandbox = createSandbox();
  const sbx = await sandbox.listen({ port: 0 });
  const sink = new MemorySink();
  try {
    const tokens = new TokenManager({
      store: new MemoryTokenStore(),
      // Token calls are logged like every other Feishu call, the app secret masked.
      endpoints: new LarkTokenEndpoints({ baseUrl: sbx.url, logger: createLogger({ sinks: [sink] }) }),
      apps: (id) => id === DEFAULT_APP_ID ? { appId: id, appSecret: DEFAULT_APP_SECRET } : undefined,
      logger: createLogger({ sinks: [sink] }),
    });
    const headers = await tokens.tenantAuth(DEFAULT_APP_ID).headers();
    const [line, ...more] = sink.records.filter((r) => r.event === "http");
    assert.equal(more.length, 0);
    assert.equal(line.level, "info");
    assert.match(String(line.request_id), /^fk-/);
    assert.equal(line.path, "/open-apis/auth/v3/tenant_access_token/internal");
    assert.deepEqual([line.status, line.code, typeof line.duration_ms], [200, 0, "number"]);
    const body = (line.params as { body: Record<string, string> }).body;
    assert.equal(body.app_id, DEFAULT_APP_ID);
    assert.match(body.app_secret, /^\*\*\*/);
    const text = JSON.stringify(sink.records);
    assert.ok(!text.includes(DEFAULT_APP_SECRET), "the app secret never reaches the log");
    assert.ok(!text.includes(Object.values(headers)[0].replace(/^Bearer /, "")), "nor the token");
    const bad = new TokenManager({
      store: new MemoryTokenStore(),
      endpoints: new LarkTokenEndpoints({ baseUrl: sbx.url }),
      apps: (id) => ({ appId: id, appSecret: "wrong-secret" }),
      logger: createLogger({ sinks: [sink] }),
    });
    await bad.tenantAuth(DEFAULT_APP_ID).headers().catch(() => {});
    const events = sink.records.filter((r) => r.event === "token.refresh");
    assert.deepEqual(events.map((e) => [e.type, e.reason, e.result]), [
      ["tenant", "missing", "ok"],
      ["tenant", "missing", "failed"],
    ]);
  } finally {
    await sbx.close();
  }
});

Deno.test("every outgoing call, successful ones too, is one info line with masked parameters", async () => {
  const { clock } = recordingClock();
  const sink = new MemorySink();
  const secret = "app-secret-never-logged-0123";
  const code = "oauth-code-never-logged-4567";
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:1",
    fetch: scripted([json(200, { code: 0, data: { ok: 1 } })]),
    clock,
    logger: createLogger({ sinks: [sink] }), // info, as the core service runs it
    logSuccessAtInfo: true,
  });
  const res = await http.request({
    method: "POST",
    path: "/open-apis/im/v1/messages",
    bucket: "im_send",
    query: { receive_id_type: "open_id", code },
    body: { receive_id: "ou_reader", app_secret: secret, content: `{"text":"Bearer ${secret}"}` },
    auth: null,
  });
  const [line, ...more] = sink.records.filter((r) => r.event === "http");
  assert.equal(more.length, 0, "one line per request");
  assert.equal(line.level, "info");
  assert.equal(line.request_id, res.requestId);
  assert.equal(line.endpoint, "im_send");
  assert.equal(line.method, "POST");
  assert.equal(line.path, "/open-apis/im/v1/messages");
  assert.equal(line.status, 200);
  assert.equal(line.code, 0);
  assert.equal(line.log_id, "LOG123");
  assert.equal(typeof line.duration_ms, "number");
  const params = line.params as { query: Record<string, string>; body: Record<string, string> };
  assert.equal(params.query.receive_id_type, "open_id");
  assert.equal(params.body.receive_id, "ou_reader");
  assert.match(params.query.code, /^\*\*\*/);
  assert.match(params.body.app_secret, /^\*\*\*/);
  const text = JSON.stringify(sink.records);
  assert.ok(!text.includes(secret) && !text.includes(code), "no secret value in the log");
});

Deno.test("by default a successful call is logged at debug, a failed one at info", async () => {
  const { clock } = recordingClock();
  const sink = new MemorySink();
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:1",
    fetch: scripted([json(200, { code: 0, data: {} }), json(400, { code: 1234567, msg: "bad" })]),
    clock,
    retry: { retries: 0 },
    logger: createLogger({ sinks: [sink] }),
  });
  await http.request({ path: "/open-apis/a", auth: null });
  await http.request({ path: "/open-apis/b", auth: null }).catch(() => {});
  assert.deepEqual(sink.records.filter((r) => r.event === "http").map((r) => [r.path, r.status]), [
    ["/open-apis/b", 400],
  ]);
});

Deno.test("core retry schedule is configurable: FEISHU_CORE_RETRY_BASE_MS=500, FEISHU_CORE_RETRIES=4 → 0.5, 1, 2, 4 s", async () => {
  const env: Record<string, string> = {
    FEISHU_APP_ID: DEFAULT_APP_ID,
    FEISHU_APP_SECRET: DEFAULT_APP_SECRET,
    FEISHU_CORE_RETRY_BASE_MS: "500",
    FEISHU_CORE_RETRIES: "4",
  };
  const config = loadCoreConfig((n) => env[n]);
  assert.deepEqual(config.retry, { baseMs: 500, retries: 4 });
  const { waits, clock } = recordingClock();
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:1",
    fetch: scripted([...Array(4).fill(json(500, { code: 2200 })), json(200, { code: 0, data: {} })]),
    clock,
    retry: { ...coreRetry(config.retry), random: () => 0.5 },
  });
  await http.request({ path: "/open-apis/x", auth: null });
  assert.deepEqual(waits, [500, 1000, 2000, 4000]);
  assert.deepEqual(CORE_RETRY, coreRetry(loadCoreConfig((n) => ({ ...env, ...RESET })[n]).retry), "defaults");

  for (
    const [name, value] of [
      ["FEISHU_CORE_RETRY_BASE_MS", "0"],
      ["FEISHU_CORE_RETRY_BASE_MS", "1s"],
      ["FEISHU_CORE_RETRIES", "11"],
      ["FEISHU_CORE_RETRIES", "-1"],
    ]
  ) {
    const bad: Record<string, string> = { ...env, [name]: value };
    assert.throws(
      () => loadCoreConfig((n) => bad[n]),
      (e: Error & { hint?: string }) => e.hint?.includes(`${name} 应为`) === true,
      `${name}=${value} refused`,
    );
  }
});

const RESET: Record<string, string | undefined> = {
  FEISHU_CORE_RETRY_BASE_MS: undefined,
  FEISHU_CORE_RETRIES: undefined,
};

Deno.test("request log: secret-named query parameters are masked, others kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "core_mask_" });
  const sink = new MemorySink();
  const queue = new SqliteQueue<CardJob>(`${dir}/q.db`);
  const ledger = new SqliteHandledLedger(`${dir}/ledger.db`);
  const service = createCoreService({
    queue,
    router: new CardRouter(),
    ledger,
    updater: { update: () => Promise.resolve() },
    callback: {},
    workers: false,
    logger: createLogger({ sinks: [sink] }),
  });
  try {
    const secret = "s3cr3t-value-0123456789";
    const query = new URLSearchParams({
      access_token: secret,
      app_secret: secret,
      session: secret,
      "x-csrf-token": secret,
      code: secret,
      state: secret,
      page: "2",
    });
    const res = await service.fetch(new Request(`http://127.0.0.1/healthz?${query}`));
    await res.body?.cancel();
    const line = sink.records.find((r) => r.event === "http.request")!;
    assert.ok(!JSON.stringify(sink.records).includes(secret), "no secret in the log");
    const params = line.params as Record<string, string>;
    for (const k of ["access_token", "app_secret", "session", "x-csrf-token", "code", "state"]) {
      assert.match(params[k], /^\*\*\*/, k);
    }
    assert.equal(params.page, "2");
  } finally {
    await service.stop();
    await queue.close();
    ledger.close();
    await Deno.remove(dir, { recursive: true });
  }
});
