import assert from "node:assert/strict";
import { SqliteQueue } from "../../lib/queue/mod.ts";
import { type CardJob, CardRouter, SqliteHandledLedger } from "../../lib/callback/mod.ts";
import { createCoreService } from "../../pipelines/core/core_service.ts";
import { ADMIN_TOKEN, startCore } from "./_harness.ts";

Deno.test("core service: healthz, metrics (JSON and Prometheus), envelope and request logs", async () => {
  const dir = await Deno.makeTempDir();
  const core = await startCore({ queue: new SqliteQueue<CardJob>(`${dir}/q.db`) });
  try {
    const h = await fetch(`${core.url}/healthz`, { headers: { "x-request-id": "req-abc-1" } });
    assert.equal(h.status, 200);
    assert.equal(h.headers.get("x-request-id"), "req-abc-1");
    const env = await h.json();
    assert.deepEqual(Object.keys(env).sort(), ["code", "data", "error", "request_id"]);
    assert.equal(env.code, 0);
    assert.equal(env.request_id, "req-abc-1");
    assert.equal(env.data.queue.backend, "sqlite");

    const missing = await fetch(`${core.url}/nope?code=secretcode123456&x=1`);
    assert.equal(missing.status, 404);
    const nf = await missing.json();
    assert.equal(nf.code, "not_found");
    assert.ok(nf.error.fix.length > 0);

    const m = await (await fetch(`${core.url}/metrics`)).json();
    assert.equal(m.data.routes["GET /healthz"].count, 1);
    const prom = await (await fetch(`${core.url}/metrics?format=prometheus`)).text();
    assert.match(prom, /feishu_core_requests_total\{route="GET \/healthz",status="200"\} 1/);
    assert.match(prom, /feishu_core_request_duration_ms_bucket/);

    const lines = core.logs.records.filter((r) => r.event === "http.request");
    const first = lines.find((r) => r.request_id === "req-abc-1")!;
    assert.equal(first.endpoint, "GET /healthz");
    assert.equal(first.status, 200);
    assert.equal(typeof first.duration_ms, "number");
    const nope = lines.find((r) => r.status === 404)!;
    const params = nope.params as Record<string, string>;
    assert.equal(params.x, "1");
    assert.ok(!JSON.stringify(params).includes("secretcode123456"), "OAuth code masked in the log");
  } finally {
    await core.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("core service: admin API needs the bearer token; add, list, update, disable, enable, remove", async () => {
  const dir = await Deno.makeTempDir();
  const core = await startCore({ queue: new SqliteQueue<CardJob>(`${dir}/q.db`) });
  const call = (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) =>
    fetch(`${core.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  try {
    assert.equal((await call("GET", "/admin/apps", undefined, "wrong-token")).status, 401);
    assert.equal((await fetch(`${core.url}/admin/apps`)).status, 401);
    const bad = await call("POST", "/admin/apps", { app_id: "nope", app_secret: "x" });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.fix, /app_id/);
    const added = await call("POST", "/admin/apps", {
      app_id: "cli_abcdef123456",
      app_secret: "s3cret-value-long",
      name: "报销",
    });
    assert.equal(added.status, 201);
    assert.equal(added.body.data.name, "报销");
    assert.ok(!JSON.stringify(added.body).includes("s3cret"), "secret never returned");
    assert.equal(
      (await call("POST", "/admin/apps", { app_id: "cli_abcdef123456", app_secret: "another-1" })).status,
      409,
    );
    assert.equal((await call("GET", "/admin/apps")).body.data.apps.length, 1);
    assert.equal(
      (await call("PATCH", "/admin/apps/cli_abcdef123456", { name: "报销2" })).body.data.name,
      "报销2",
    );
    assert.equal((await call("POST", "/admin/apps/cli_abcdef123456/disable")).body.data.status, "disabled");
    assert.equal((await call("POST", "/admin/apps/cli_abcdef123456/enable")).body.data.status, "active");
    assert.equal((await call("DELETE", "/admin/apps/cli_abcdef123456")).status, 200);
    assert.equal((await call("GET", "/admin/apps/cli_abcdef123456")).status, 404);
  } finally {
    await core.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("core service: requests for another host name get 421; /metrics can require a bearer token", async () => {
  const dir = await Deno.makeTempDir();
  const queue = new SqliteQueue<CardJob>(`${dir}/q.db`);
  const ledger = new SqliteHandledLedger(`${dir}/l.db`);
  const service = createCoreService({
    queue,
    router: new CardRouter(),
    ledger,
    updater: { update: () => Promise.resolve() },
    callback: {},
    workers: false,
    allowedHosts: ["127.0.0.1", "feishu-core.example.com"],
    metricsToken: "metrics-token-0123456789",
  });
  try {
    const evil = await service.fetch(new Request("http://rebind.attacker.example/healthz"));
    assert.equal(evil.status, 421);
    assert.equal((await evil.json()).code, "misdirected");
    assert.equal((await service.fetch(new Request("https://feishu-core.example.com/healthz"))).status, 200);
    assert.equal((await service.fetch(new Request("http://127.0.0.1/metrics"))).status, 401);
    const ok = await service.fetch(
      new Request("http://127.0.0.1/metrics", {
        headers: { authorization: "Bearer metrics-token-0123456789" },
      }),
    );
    assert.equal(ok.status, 200);
  } finally {
    await service.stop();
    await queue.close();
    ledger.close();
    await Deno.remove(dir, { recursive: true });
  }
});
