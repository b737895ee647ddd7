import assert from "node:assert/strict";
import { AuthError } from "../../lib/errors/mod.ts";
import {
  ConsoleSink,
  createLogger,
  isSecretKey,
  maskDeep,
  maskText,
  maskValue,
  MemorySink,
  NdjsonFileSink,
  silentLogger,
} from "../../lib/log/mod.ts";

// Raw secrets that must never reach a log file.
const S = {
  bearer: "t-g1044abcDEFghiJKLmnoPQRstuVWXyz0123",
  bearerOpaque: "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA",
  tenant: "t-g104ab12CD34ef56GH78ij90KL",
  user: "u-5Xyz_abcdefghijklmnopq.rst",
  refresh: "ur-0123456789abcdefghijkl",
  jwt:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvdV8xMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  session: "XN0YXJ0-8f2b1c9d-session-4e7a",
  slSession: "ls8f7d6e5c4b3a2910",
  larkSid: "sid-9a8b7c6d5e4f3a2b1c0d",
  passport: "7301234567890123456",
  appSecret: "sEcReT1234567890abcdefABCDEF",
  clientSecret: "cs-0987654321zyxwvu",
  csrf: "q1w2e3r4t5y6u7i8o9p0",
  password: "hunter2hunter2",
  oauthCode: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
  encryptKey: "ek-ABCDEFGHIJKLMNOP",
  nested: "deep-secret-value-000111222",
};

async function withLogFile(fn: (path: string) => void | Promise<void>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "fk-log-" });
  const path = `${dir}/run.ndjson`;
  try {
    await fn(path);
    return await Deno.readTextFile(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("NDJSON sink output never contains a raw secret", async () => {
  const text = await withLogFile((path) => {
    const sink = new NdjsonFileSink(path);
    const log = createLogger({ sinks: [sink], level: "debug", fields: { run: "r1" } });
    log.info("http", { headers: { Authorization: `Bearer ${S.bearer}`, "X-Csrf-Token": S.csrf } });
    log.info("free text", { message: `retrying with Authorization: Bearer ${S.bearerOpaque} now` });
    log.warn("token refused", {
      detail: `token ${S.tenant} expired; user token ${S.user}; refresh ${S.refresh}`,
    });
    log.info("jwt", { note: `new style token ${S.jwt} accepted` });
    log.info("cookie", {
      curl:
        `curl 'https://contract.feishu.cn/clm/api/x' -H 'Cookie: session=${S.session}; lark_sid=${S.larkSid}; passport_web_did=${S.passport}' -H 'x-csrf-token: ${S.csrf}'`,
      raw_cookie: `sl_session=${S.slSession}; path=/`,
      Cookie: `session=${S.session}`,
    });
    log.info("config", { app: { app_id: "cli_a1b2c3d4e5f60718", app_secret: S.appSecret } });
    log.info("oauth", {
      url: `https://open.feishu.cn/open-apis/authen/v2/oauth/token?code=${S.oauthCode}&state=xyz`,
      body: `{"client_secret":"${S.clientSecret}","grant_type":"authorization_code"}`,
      password: S.password,
      encrypt_key: S.encryptKey,
    });
    log.info("nested", {
      a: { b: [{ c: { refresh_token: S.refresh } }, { tokens: [S.tenant, S.user] }] },
      list: [`Bearer ${S.bearer}`],
      deeper: { x: { y: { z: { session: S.nested } } } },
    });
    log.error(`event with ${S.tenant} in its name`, { err: new AuthError(`refused ${S.user}`) });
    log.debug("debug lines are masked too", { access_token: S.bearer });
    log.child({ app_secret: S.appSecret }).info("child base fields are masked", {});
    sink.close();
    sink.close(); // closing twice is harmless
  });
  const lines = text.trimEnd().split("\n");
  assert.equal(lines.length, 11);
  for (const l of lines) {
    const r = JSON.parse(l);
    assert.equal(typeof r.ts, "string");
    assert.ok(!Number.isNaN(Date.parse(r.ts)));
    assert.ok(["debug", "info", "warn", "error"].includes(r.level));
    assert.equal(typeof r.event, "string");
    assert.equal(r.run, "r1");
  }
  for (const [name, secret] of Object.entries(S)) {
    assert.ok(!text.includes(secret), `raw ${name} leaked into the NDJSON log`);
  }
  // Non-secret facts survive.
  assert.ok(text.includes("cli_a1b2c3d4e5f60718"), "app_id is not a secret");
  assert.ok(text.includes("contract.feishu.cn/clm/api/x"));
  assert.ok(text.includes("state=xyz"));
  assert.ok(text.includes("authorization_code"));
});

Deno.test("masking keeps Feishu business codes and log ids readable", () => {
  const log = new MemorySink();
  const logger = createLogger({ sinks: [log] });
  logger.info("http", {
    code: 99991663,
    log_id: "20260101120000AABBCCDD",
    body: '{"code":99991663,"msg":"Invalid access token"}',
    message: "code: 230020 frequency limit",
  });
  const r = log.records[0];
  assert.equal(r.code, 99991663);
  assert.equal(r.log_id, "20260101120000AABBCCDD");
  assert.equal(r.body, '{"code":99991663,"msg":"Invalid access token"}');
  assert.equal(r.message, "code: 230020 frequency limit");
});

Deno.test("maskValue, isSecretKey, maskText and maskDeep", () => {
  assert.equal(maskValue("short"), "***");
  assert.equal(maskValue("12345678"), "***");
  assert.equal(maskValue("abcdefghijk"), "***(11)", "no prefix of the secret");
  assert.equal(maskValue("sandbox-secret"), "***(14)");
  for (
    const k of ["token", "Access-Token", "app_secret", "APP_SECRET", "Cookie", "set-cookie", "authorization"]
  ) {
    assert.ok(isSecretKey(k), k);
  }
  for (const k of ["x_csrf_token", "verification_token", "my_session_cookie", "client_secret", "password"]) {
    assert.ok(isSecretKey(k), k);
  }
  for (const k of ["code", "app_id", "log_id", "tokenKind", "endpoint", "message"]) {
    assert.ok(!isSecretKey(k), k);
  }
  assert.equal(maskText("nothing secret here"), "nothing secret here");
  assert.equal(
    maskText("store postgres://kit:pg-pass-1234@db.internal:5432/feishu, queue amqp://guest:guest@mq:5672"),
    "store postgres://kit:***(12)@db.internal:5432/feishu, queue amqp://guest:***@mq:5672",
    "URL passwords",
  );
  assert.equal(
    maskText("https://open.feishu.cn/a@b and postgres://kit@db/x"),
    "https://open.feishu.cn/a@b and postgres://kit@db/x",
  );
  assert.equal(maskText(`Bearer ${S.bearer}`), `Bearer ***(${S.bearer.length})`);
  assert.ok(!maskText(`-b 'lark_sid=${S.larkSid}; a=b'`).includes(S.larkSid), "curl -b cookies");
  assert.ok(!maskText(`Set-Cookie: MONITOR_WEB_ID=${S.larkSid}; path=/`).includes(S.larkSid));
  const input = { a: { token: S.tenant, n: 1, ok: true, nil: null, empty: "" }, arr: [S.user] };
  const out = maskDeep(input) as { a: Record<string, unknown>; arr: string[] };
  assert.deepEqual(input.a.token, S.tenant, "the input is not modified");
  assert.notEqual(out.a.token, S.tenant);
  assert.equal(out.a.n, 1);
  assert.equal(out.a.ok, true);
  assert.equal(out.a.nil, null);
  assert.equal(out.a.empty, "");
  assert.ok(!out.arr[0].includes(S.user));
  // Cycles and very deep values do not blow up.
  const cyc: Record<string, unknown> = { name: "x" };
  cyc.self = cyc;
  assert.doesNotThrow(() => JSON.stringify(maskDeep(cyc)));
});

Deno.test("levels filter: default info; sinks get only records at or above the level", () => {
  const sink = new MemorySink();
  const log = createLogger({ sinks: [sink] });
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  assert.deepEqual(sink.records.map((r) => [r.level, r.event]), [["info", "i"], ["warn", "w"], [
    "error",
    "e",
  ]]);
  const warnOnly = new MemorySink();
  const w = createLogger({ sinks: [warnOnly], level: "warn" });
  w.debug("d");
  w.info("i");
  w.warn("w");
  w.child({ step: "x" }).info("child keeps the level");
  w.child({ step: "x" }).error("e2");
  assert.deepEqual(warnOnly.records.map((r) => r.event), ["w", "e2"]);
  const all = new MemorySink();
  const d = createLogger({ sinks: [all], level: "debug", now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
  d.debug("d");
  assert.equal(all.records[0].ts, "2026-01-02T03:04:05.000Z");
  // The silent logger drops everything without throwing.
  silentLogger.error("nothing", { token: S.bearer });
});

Deno.test("child loggers add fields; children of children merge; the parent is unchanged", () => {
  const sink = new MemorySink();
  const root = createLogger({ sinks: [sink], fields: { run: "r1" } });
  const step = root.child({ step: "export", pipeline: "contracts" });
  const call = step.child({ endpoint: "contract_search", step: "export.search" });
  root.info("a");
  step.info("b", { extra: 1 });
  call.info("c", { endpoint: "overridden" });
  const [a, b, c] = sink.records;
  assert.equal(a.run, "r1");
  assert.equal(a.step, undefined);
  assert.equal(b.step, "export");
  assert.equal(b.pipeline, "contracts");
  assert.equal(b.extra, 1);
  assert.equal(c.run, "r1");
  assert.equal(c.pipeline, "contracts");
  assert.equal(c.step, "export.search", "the child's field wins");
  assert.equal(c.endpoint, "overridden", "per-call fields win");
});

Deno.test("several sinks each get the masked record; ConsoleSink prints a short line", () => {
  const lines: string[] = [];
  const mem = new MemorySink();
  const log = createLogger({ sinks: [mem, new ConsoleSink({ level: "info", write: (l) => lines.push(l) })] });
  log.warn("重试", {
    message: `token ${S.tenant} refused`,
    hint: "已自动重试",
    endpoint: "im_send",
    code: 99991663,
    log_id: "LID",
  });
  log.info("quiet", {});
  assert.equal(mem.records.length, 2);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^\[警告\] 重试 /);
  assert.ok(lines[0].includes("已自动重试"));
  assert.ok(lines[0].includes("endpoint=im_send, code=99991663, log_id=LID"));
  assert.ok(!lines[0].includes(S.tenant));
  const quiet: string[] = [];
  createLogger({ sinks: [new ConsoleSink({ write: (l) => quiet.push(l) })] }).info("not shown");
  assert.deepEqual(quiet, [], "the console sink defaults to warn");
});

Deno.test("NdjsonFileSink appends to an existing file", async () => {
  const text = await withLogFile(async (path) => {
    await Deno.writeTextFile(path, '{"old":true}\n');
    const sink = new NdjsonFileSink(path);
    createLogger({ sinks: [sink] }).info("new");
    sink.close();
  });
  const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.deepEqual(lines[0], { old: true });
  assert.equal(lines[1].event, "new");
});
