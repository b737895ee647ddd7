/**
 * The core service's settings from the environment: defaults, and one
 * ConfigError listing every bad variable in Chinese (ports, app id, https
 * hosts, queue and ledger URLs, admin token, the Encrypt Key required off
 * loopback).
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors/mod.ts";
import { loadCoreConfig } from "../../pipelines/core/config.ts";

const APP = { FEISHU_APP_ID: "cli_a1b2c3d4e5f60001", FEISHU_APP_SECRET: "secret" };
const load = (env: Record<string, string>) => loadCoreConfig((n) => env[n]);

Deno.test("core config: defaults on loopback; the ledger follows a PostgreSQL queue; flags read loosely", () => {
  const c = load({ ...APP, FEISHU_BASE_URL: "http://127.0.0.1:9000/", FEISHU_VERIFICATION_TOKEN: " vt " });
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.port, 8787);
  assert.equal(c.publicUrl, "http://127.0.0.1:8787");
  assert.equal(c.baseUrl, "http://127.0.0.1:9000", "a loopback sandbox may be http; trailing slash dropped");
  assert.equal(c.accountsUrl, "https://accounts.feishu.cn");
  assert.equal(c.queueUrl, "sqlite://.state/core.db");
  assert.equal(c.ledgerUrl, undefined);
  assert.equal(c.appsStore, ".state/apps.sqlite");
  assert.equal(c.verificationToken, "vt");
  assert.equal(c.whenQueueDown, "refuse");
  assert.equal(c.longConnection, false);

  const pg = load({
    ...APP,
    FEISHU_QUEUE_URL: "postgres://u@db/core",
    FEISHU_CORE_STATE_DIR: "/var/lib/core",
    FEISHU_CORE_LONG_CONNECTION: "Yes",
    FEISHU_CORE_WHEN_QUEUE_DOWN: "inline",
    FEISHU_CORE_PUBLIC_URL: "https://core.example.com/",
    APP_ENCRYPT_KEY: "ek",
    FEISHU_CORE_HOST: "0.0.0.0",
  });
  assert.equal(pg.ledgerUrl, "postgres://u@db/core");
  assert.equal(pg.appsStore, "/var/lib/core/apps.sqlite");
  assert.equal(pg.longConnection, true);
  assert.equal(pg.whenQueueDown, "inline");
  assert.equal(pg.publicUrl, "https://core.example.com");
  assert.equal(pg.encryptKey, "ek", "the APP_ name is accepted too");
});

Deno.test("core config: every problem is listed at once, in Chinese", () => {
  assert.throws(
    () =>
      load({
        FEISHU_APP_ID: "not-an-app",
        FEISHU_CORE_PORT: "70000",
        FEISHU_BASE_URL: "http://open.feishu.cn",
        FEISHU_ACCOUNTS_URL: "::::",
        FEISHU_QUEUE_URL: "redis://x",
        FEISHU_LEDGER_URL: "sqlite://l.db",
        FEISHU_CORE_WHEN_QUEUE_DOWN: "drop",
        FEISHU_CORE_ADMIN_TOKEN: "short",
        FEISHU_CORE_HOST: "0.0.0.0",
      }),
    (e) => {
      assert.ok(e instanceof ConfigError);
      const wanted = [
        /FEISHU_CORE_PORT 不是有效端口：70000/,
        /FEISHU_APP_ID 格式不正确/,
        /缺少 FEISHU_APP_SECRET/,
        /FEISHU_BASE_URL 必须是 https 地址/,
        /FEISHU_ACCOUNTS_URL 不是有效地址/,
        /FEISHU_QUEUE_URL 只支持.*：redis/,
        /FEISHU_LEDGER_URL 只支持 postgres/,
        /FEISHU_CORE_WHEN_QUEUE_DOWN 只能是 refuse 或 inline/,
        /FEISHU_CORE_ADMIN_TOKEN 至少 16 个字符/,
        /必须设置 FEISHU_ENCRYPT_KEY/,
      ];
      for (const w of wanted) assert.match(e.hint, w);
      assert.match(e.message, /10 problem/);
      return true;
    },
  );
  assert.throws(() => load({}), (e) => e instanceof ConfigError && /缺少 FEISHU_APP_ID/.test(e.hint));
});
