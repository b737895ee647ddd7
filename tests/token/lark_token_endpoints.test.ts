import assert from "node:assert/strict";
import { AuthError, ConfigError, NetworkError, ServerError } from "../../lib/errors/mod.ts";
import type { Clock } from "../../lib/time/clock.ts";
import {
  APP_TOKEN_PATH,
  LarkTokenEndpoints,
  MemoryTokenStore,
  OAUTH_TOKEN_PATH,
  TENANT_TOKEN_PATH,
  TokenManager,
} from "../../lib/token/mod.ts";

/** Real time for `now`, but retry backoff waits resolve at once (no real waiting in tests). */
const instantClock: Clock = { now: () => Date.now(), sleep: () => Promise.resolve() };

interface Seen {
  path: string;
  body: Record<string, unknown>;
  contentType: string | null;
}

type Reply = { status?: number; body: unknown; headers?: Record<string, string> } | "not-json-502";

/** A tiny fake of Feishu's token endpoints; `script[path]` answers successive requests. */
function fakeFeishu(script: Record<string, Reply[]>) {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    seen.push({ path, body: await req.json(), contentType: req.headers.get("content-type") });
    const queue = script[path] ?? [];
    const reply = queue.length > 1 ? queue.shift()! : queue[0];
    if (!reply) return new Response("no route", { status: 404 });
    if (reply === "not-json-502") return new Response("<html>bad gateway</html>", { status: 502 });
    return Response.json(reply.body, {
      status: reply.status ?? 200,
      headers: { "X-Tt-Logid": "log-123", ...reply.headers },
    });
  });
  const baseUrl = `http://127.0.0.1:${server.addr.port}`;
  const endpoints = new LarkTokenEndpoints({ baseUrl, clock: instantClock });
  const count = (path: string) => seen.filter((s) => s.path === path).length;
  return { seen, baseUrl, endpoints, count, close: () => server.shutdown() };
}

const APP = { appId: "cli_test", appSecret: "the-secret" };

Deno.test("tenant and app tokens: real request and response shapes", async () => {
  const f = fakeFeishu({
    [TENANT_TOKEN_PATH]: [{ body: { code: 0, msg: "ok", tenant_access_token: "t-abc", expire: 7140 } }],
    [APP_TOKEN_PATH]: [{
      body: { code: 0, msg: "ok", app_access_token: "a-abc", tenant_access_token: "t-abc", expire: 7200 },
    }],
  });
  try {
    assert.deepEqual(await f.endpoints.fetchTenantToken(APP), { token: "t-abc", expireSeconds: 7140 });
    assert.deepEqual(await f.endpoints.fetchAppToken(APP), { token: "a-abc", expireSeconds: 7200 });
    assert.deepEqual(f.seen[0].body, { app_id: "cli_test", app_secret: "the-secret" });
    assert.match(f.seen[0].contentType ?? "", /^application\/json/);
    assert.deepEqual(f.seen.map((s) => s.path), [TENANT_TOKEN_PATH, APP_TOKEN_PATH]);
  } finally {
    await f.close();
  }
});

Deno.test("wrong secret (10014, HTTP 400): ConfigError with code and log id, no retry", async () => {
  const f = fakeFeishu({
    [TENANT_TOKEN_PATH]: [{ status: 400, body: { code: 10014, msg: "app secret invalid" } }],
  });
  try {
    await assert.rejects(f.endpoints.fetchTenantToken(APP), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.code, 10014);
      assert.equal(e.httpStatus, 400);
      assert.equal(e.logId, "log-123");
      assert.equal(e.endpoint, TENANT_TOKEN_PATH);
      return true;
    });
    assert.equal(f.count(TENANT_TOKEN_PATH), 1);
  } finally {
    await f.close();
  }
});

Deno.test("wrong app id (10003 / 99991543): ConfigError", async () => {
  for (const code of [10003, 99991543]) {
    const f = fakeFeishu({ [APP_TOKEN_PATH]: [{ body: { code, msg: "invalid param" } }] });
    try {
      await assert.rejects(f.endpoints.fetchAppToken(APP), ConfigError);
      assert.equal(f.count(APP_TOKEN_PATH), 1);
    } finally {
      await f.close();
    }
  }
});

Deno.test("transient failures are retried at most twice", async () => {
  const f = fakeFeishu({
    [TENANT_TOKEN_PATH]: [
      "not-json-502",
      { status: 500, body: { code: 5000, msg: "internal" } },
      { body: { code: 0, tenant_access_token: "t-third-time", expire: 7200 } },
    ],
    [APP_TOKEN_PATH]: [{ status: 503, body: { code: 1500, msg: "busy" } }],
  });
  try {
    assert.equal((await f.endpoints.fetchTenantToken(APP)).token, "t-third-time");
    assert.equal(f.count(TENANT_TOKEN_PATH), 3);
    await assert.rejects(f.endpoints.fetchAppToken(APP), ServerError);
    assert.equal(f.count(APP_TOKEN_PATH), 3);
  } finally {
    await f.close();
  }
});

Deno.test("user refresh (v2): request shape, flat response, rotation fields", async () => {
  const f = fakeFeishu({
    [OAUTH_TOKEN_PATH]: [
      { status: 500, body: { code: 20050, error: "server_error", error_description: "retry" } },
      {
        body: {
          code: 0,
          access_token: "eyJ.new.access",
          expires_in: 7200,
          refresh_token: "eyJ.new.refresh",
          refresh_token_expires_in: 604800,
          token_type: "Bearer",
          scope: "offline_access im:message",
        },
      },
    ],
  });
  try {
    const r = await f.endpoints.refreshUserToken(APP, "old-refresh");
    assert.deepEqual(r, {
      accessToken: "eyJ.new.access",
      expiresIn: 7200,
      refreshToken: "eyJ.new.refresh",
      refreshExpiresIn: 604800,
      scope: "offline_access im:message",
    });
    assert.equal(f.count(OAUTH_TOKEN_PATH), 2, "20050 is retried");
    assert.deepEqual(f.seen[1].body, {
      grant_type: "refresh_token",
      client_id: "cli_test",
      client_secret: "the-secret",
      refresh_token: "old-refresh",
    });
  } finally {
    await f.close();
  }
});

Deno.test("user refresh failures: 20064 → AuthError(refresh), 20002 → ConfigError, neither retried", async () => {
  const f = fakeFeishu({
    [OAUTH_TOKEN_PATH]: [
      {
        status: 400,
        body: { code: 20064, error: "invalid_grant", error_description: "refresh token revoked" },
      },
      { status: 400, body: { code: 20002, error: "invalid_client", error_description: "bad secret" } },
    ],
  });
  try {
    await assert.rejects(f.endpoints.refreshUserToken(APP, "r1"), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.equal(e.tokenKind, "refresh");
      assert.equal(e.code, 20064);
      assert.equal(e.message, "refresh token revoked");
      return true;
    });
    await assert.rejects(f.endpoints.refreshUserToken(APP, "r2"), ConfigError);
    assert.equal(f.count(OAUTH_TOKEN_PATH), 2);
  } finally {
    await f.close();
  }
});

Deno.test("network failure → NetworkError after 3 attempts (injected fetch)", async () => {
  let attempts = 0;
  const endpoints = new LarkTokenEndpoints({
    clock: instantClock,
    fetch: () => {
      attempts++;
      return Promise.reject(new TypeError("connection refused"));
    },
  });
  await assert.rejects(endpoints.fetchTenantToken(APP), (e: unknown) => {
    assert.ok(e instanceof NetworkError);
    assert.match(e.message, /connection refused/);
    return true;
  });
  assert.equal(attempts, 3);
});

Deno.test("an aborted caller is not retried and gets the abort reason", async () => {
  let attempts = 0;
  const ac = new AbortController();
  const endpoints = new LarkTokenEndpoints({
    clock: instantClock,
    fetch: (_u, init) => {
      attempts++;
      return new Promise((_res, rej) =>
        init?.signal?.addEventListener("abort", () => rej(init.signal!.reason))
      );
    },
  });
  const p = endpoints.fetchTenantToken(APP, ac.signal);
  ac.abort(new Error("stop"));
  await assert.rejects(p, /stop/);
  assert.equal(attempts, 1);
});

Deno.test("manager + real HTTP: wrong secret → ConfigError for 50 concurrent callers, server sees one request", async () => {
  const f = fakeFeishu({
    [TENANT_TOKEN_PATH]: [{ status: 400, body: { code: 10014, msg: "app secret invalid" } }],
  });
  try {
    const manager = new TokenManager({
      store: new MemoryTokenStore(),
      endpoints: f.endpoints,
      apps: (id) => ({ appId: id, appSecret: "wrong" }),
    });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => manager.getTenantToken("cli_test")),
    );
    assert.ok(results.every((r) => r.status === "rejected" && r.reason instanceof ConfigError));
    assert.equal(f.count(TENANT_TOKEN_PATH), 1);
  } finally {
    await f.close();
  }
});
