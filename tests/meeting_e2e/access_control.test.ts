/**
 * The service's own pages and actions (issue 7 §2):
 * - DNS rebinding: a request naming another host (`Host: evil.example` with a
 *   matching `Origin`) is refused on every route — on main it re-queued a job;
 * - state-changing actions check `Origin` against the configured origins;
 * - reachable beyond loopback: `/status` and every action need the admin
 *   token (Bearer, or the login form's HttpOnly SameSite=Strict cookie);
 *   the webhook, the OAuth pages and `/healthz` stay reachable; the token is
 *   generated once, shown once, kept sealed (0600), and a token that cannot
 *   be opened stops the start;
 * - `server.host: 0.0.0.0` is logged as a warning and needs the token;
 * - webhook mode without a Verification Token refuses to start;
 * - `/auth/start` is capped and rate-limited.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { silentLogger } from "../../lib/log/logger.ts";
import { MeetingConfigSchema } from "../../pipelines/meeting/config.ts";
import { exposureWarning, securityPreflight } from "../../pipelines/meeting/service/mod.ts";
import { authorize, jobInState, withHarness } from "./_harness.ts";

const PUBLIC = "https://meet.example.com";

/** A request to the service's app with explicit headers (Host included, as a rebinding page would send). */
function call(
  fetchFn: (r: Request) => Response | Promise<Response>,
  path: string,
  init: RequestInit & { host: string },
) {
  const headers = new Headers(init.headers);
  headers.set("host", init.host);
  return Promise.resolve(fetchFn(new Request(`http://${init.host}${path}`, { ...init, headers })));
}

Deno.test("access: a rebinding page (Host: evil.example, Origin: http://evil.example) reaches no route", async () => {
  const ladder = { steps_seconds: [0.1], repeat_seconds: 0.2, total_seconds: 0.4 };
  await withHarness({ config: { ladder } }, async (h) => {
    const zhang = h.family.directory.users[0];
    await authorize(h, zhang.userId);
    const ended = await h.family.endMeeting({
      topic: "未录制",
      owner_user_id: zhang.userId,
      recorded: false,
    });
    const failed = await jobInState(h, String(ended.meeting.id), "failed");
    const evil = { host: "evil.example", headers: { origin: "http://evil.example" } };
    const retry = await call(h.service.fetch, `/jobs/${failed.id}/retry`, { ...evil, method: "POST" });
    assert.equal(retry.status, 421);
    assert.equal(
      h.service.jobs.listRecent(10).find((j) => j.id === failed.id)?.state,
      "failed",
      "not re-queued",
    );
    for (const path of ["/status", "/", "/healthz", "/auth/start"]) {
      const res = await call(h.service.fetch, path, evil);
      assert.equal(res.status, 421, path);
      assert.match(await res.text(), /主机名不在本服务的允许列表/);
    }
    const hook = await call(h.service.fetch, "/webhook/event", { ...evil, method: "POST", body: "{}" });
    assert.equal(hook.status, 421);

    // The configured names pass; a foreign Origin on an action is refused even with the right Host.
    const port = new URL(h.serviceUrl).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const ok = await call(h.service.fetch, "/status", { host });
      assert.equal(ok.status, 200, host);
      await ok.body?.cancel();
    }
    const cross = await fetch(`${h.serviceUrl}/jobs/${failed.id}/retry`, {
      method: "POST",
      headers: { origin: "http://evil.example" },
    });
    assert.equal(cross.status, 403);
    await cross.body?.cancel();
    const site = await fetch(`${h.serviceUrl}/jobs/${failed.id}/retry`, {
      method: "POST",
      headers: { "sec-fetch-site": "cross-site" },
    });
    assert.equal(site.status, 403, "a cross-site browser request without Origin");
    await site.body?.cancel();
    const own = await fetch(`${h.serviceUrl}/jobs/${failed.id}/retry`, {
      method: "POST",
      headers: { origin: `http://localhost:${port}` },
      redirect: "manual",
    });
    assert.equal(own.status, 303, "a configured origin (loopback name) may act");
    await own.body?.cancel();
  });
});

Deno.test("access: reachable beyond loopback → /status and actions need the admin token (Bearer or login cookie)", async () => {
  const created: string[] = [];
  await withHarness({
    config: { server: { public_base_url: PUBLIC } },
    service: { onAdminTokenCreated: (t) => created.push(t), getEnv: () => undefined },
  }, async (h) => {
    assert.equal(created.length, 1, "generated on the first start, handed out once");
    const token = created[0];
    assert.ok(token.length >= 40);
    const host = "meet.example.com";
    const f = h.service.fetch;

    const anon = await call(f, "/status", { host });
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get("www-authenticate") ?? "", /Bearer/);
    await anon.body?.cancel();
    const page = await call(f, "/status", { host, headers: { accept: "text/html" } });
    assert.equal(page.status, 401);
    assert.match(await page.text(), /<form method="post" action="login">/, "browsers get the login form");
    const loopAnon = await fetch(`${h.serviceUrl}/status`);
    assert.equal(
      loopAnon.status,
      401,
      "also through the loopback name: a reverse proxy forwards from loopback",
    );
    await loopAnon.body?.cancel();
    const wrongBearer = await call(f, "/status", { host, headers: { authorization: "Bearer nope" } });
    assert.equal(wrongBearer.status, 401);
    await wrongBearer.body?.cancel();
    const bearer = await call(f, "/status", { host, headers: { authorization: `Bearer ${token}` } });
    assert.equal(bearer.status, 200);
    await bearer.body?.cancel();

    const retryAnon = await call(f, "/jobs/999/retry", { host, method: "POST", headers: { origin: PUBLIC } });
    assert.equal(retryAnon.status, 401, "actions need the token");
    await retryAnon.body?.cancel();
    const retryBearer = await call(f, "/jobs/999/retry", {
      host,
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(retryBearer.status, 409, "a script with the bearer token may act (no such failed job)");
    await retryBearer.body?.cancel();

    // Public paths keep working without the token (they have their own checks).
    const start = await call(f, "/auth/start", { host });
    assert.equal(start.status, 200);
    await start.body?.cancel();
    const health = await call(f, "/healthz", { host });
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const hook = await call(f, "/webhook/event", { host, method: "POST", body: "{}" });
    assert.equal(hook.status, 400, "reaches the webhook's own checks (not JSON-enveloped → 400)");
    await hook.body?.cancel();

    // Browser login: wrong token, cross-site login, then the right one → HttpOnly SameSite=Strict cookie.
    const form = (t: string) => new URLSearchParams({ token: t });
    const bad = await call(f, "/login", {
      host,
      method: "POST",
      body: form("wrong"),
      headers: { origin: PUBLIC },
    });
    assert.equal(bad.status, 401);
    await bad.body?.cancel();
    const huge = await call(f, "/login", {
      host,
      method: "POST",
      body: new ReadableStream({
        start(ctl) {
          ctl.enqueue(new TextEncoder().encode("token=" + "x".repeat(10_000)));
          ctl.close();
        },
      }),
      headers: { origin: PUBLIC },
    });
    assert.equal(huge.status, 413, "a login body is capped even without Content-Length");
    await huge.body?.cancel();
    const csrf = await call(f, "/login", {
      host,
      method: "POST",
      body: form(token),
      headers: { origin: "https://evil.example" },
    });
    assert.equal(csrf.status, 403);
    await csrf.body?.cancel();
    const login = await call(f, "/login", {
      host,
      method: "POST",
      body: form(token),
      headers: { origin: PUBLIC },
    });
    assert.equal(login.status, 303);
    const set = login.headers.get("set-cookie") ?? "";
    assert.match(set, /^fk_admin=[\w-]{40,};/);
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Strict/);
    assert.match(set, /Secure/, "https public URL → Secure");
    const cookie = set.split(";")[0];
    const withCookie = await call(f, "/status", { host, headers: { cookie } });
    assert.equal(withCookie.status, 200);
    await withCookie.body?.cancel();
    const cookieNoOrigin = await call(f, "/jobs/999/retry", { host, method: "POST", headers: { cookie } });
    assert.equal(cookieNoOrigin.status, 403, "a cookie-authenticated action must name its origin");
    await cookieNoOrigin.body?.cancel();
    const cookieOrigin = await call(f, "/jobs/999/retry", {
      host,
      method: "POST",
      headers: { cookie, origin: PUBLIC },
    });
    assert.equal(cookieOrigin.status, 409);
    await cookieOrigin.body?.cancel();

    // Kept sealed (0600), never in clear; a restart reuses it without showing it again.
    const file = `${h.dir}/state/admin_token`;
    const sealed = await Deno.readTextFile(file);
    assert.ok(sealed.startsWith("v1:") && !sealed.includes(token));
    if (Deno.build.os !== "windows") assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    assert.ok(!JSON.stringify(h.logs.records).includes(token), "never logged");
    await h.stopService();
    await h.startService();
    assert.equal(created.length, 1, "not generated again");
    assert.equal(h.service.policy.adminToken, token);

    // Another key cannot open it: the service refuses to start unprotected.
    const other = new Uint8Array(32).fill(7).toBase64();
    await assert.rejects(
      () => securityPreflight(h.config, { logger: silentLogger, getEnv: () => other }),
      (e) => e instanceof ConfigError && /无法解密管理令牌/.test(e.userMessage()),
    );
  });
});

Deno.test("access: server.host 0.0.0.0 warns and requires the token; short configured tokens are refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "meeting-access-" });
  try {
    const config = MeetingConfigSchema.parse({
      app: { app_id: "cli_x", app_secret: "s", verification_token: "vt" },
      server: { host: "0.0.0.0", port: 29999 },
      nas: { root: dir },
      state: { db: `${dir}/state/meeting.sqlite` },
    });
    assert.match(exposureWarning(config) ?? "", /0\.0\.0\.0.*管理令牌/);
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) };
    const created: string[] = [];
    const policy = await securityPreflight(config, {
      logger,
      getEnv: () => undefined,
      onAdminTokenCreated: (t) => created.push(t),
    });
    assert.deepEqual(warnings, ["meeting.exposed"]);
    assert.equal(policy.exposed, true);
    assert.equal(policy.adminToken, created[0]);
    assert.ok(policy.hosts.has("127.0.0.1:29999") && policy.hosts.has("localhost:29999"));
    assert.ok(!policy.hosts.has("0.0.0.0:29999"));

    const short = { ...config, server: { ...config.server, admin_token: "short" } };
    await assert.rejects(
      () => securityPreflight(short, { logger }),
      (e) => e instanceof ConfigError && /太短/.test(e.userMessage()),
    );
    const loopback = MeetingConfigSchema.parse({ ...config, server: { host: "127.0.0.1" } });
    assert.equal(exposureWarning(loopback), undefined);
    assert.equal((await securityPreflight(loopback, { logger })).adminToken, undefined, "loopback: no token");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("access: webhook mode needs the Verification Token (where to find it); long connection does not", async () => {
  const base = {
    app: { app_id: "cli_x", app_secret: "s" },
    nas: { root: "/tmp/nas" },
    state: { db: ":memory:" },
  };
  await assert.rejects(
    () => securityPreflight(MeetingConfigSchema.parse(base), { logger: silentLogger }),
    (e) => e instanceof ConfigError && /开发者后台.*事件与回调 → 加密策略/.test(e.userMessage()),
  );
  const ws = MeetingConfigSchema.parse({ ...base, events: { mode: "long_connection" } });
  assert.equal((await securityPreflight(ws, { logger: silentLogger })).exposed, false);
});

Deno.test("access: /auth/start is rate-limited and the pending states capped; states bind to a cookie", async () => {
  await withHarness({ config: { oauth: { starts_per_minute: 30, max_pending_states: 1000 } } }, async (h) => {
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${h.serviceUrl}/auth/start`);
      statuses.push(r.status);
      await r.body?.cancel();
    }
    assert.equal(statuses.filter((s) => s === 200).length, 30);
    assert.equal(statuses.filter((s) => s === 429).length, 70);
  });
  await withHarness({ config: { oauth: { starts_per_minute: 1000, max_pending_states: 20 } } }, async (h) => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await fetch(`${h.serviceUrl}/auth/start`);
      statuses.push(r.status);
      if (i === 0) {
        assert.match(r.headers.get("set-cookie") ?? "", /^fk_oauth=[\w-]+; Path=\/; HttpOnly; SameSite=Lax/);
      }
      await r.body?.cancel();
    }
    assert.equal(statuses.filter((s) => s === 200).length, 20);
    assert.ok(statuses.slice(20).every((s) => s === 503), "beyond the cap: 503, no new state written");
  });
});
