/**
 * `startCore` serves the admin API from the real app registry (`FEISHU_CORE_APPS_STORE`, default
 * `<stateDir>/apps.sqlite`): an app added over HTTP is kept encrypted, gets tokens from Feishu
 * through the running token manager, and once disabled is refused before any request.
 */
import assert from "node:assert/strict";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { loadCoreConfig } from "../../pipelines/core/config.ts";
import { startCore } from "../../pipelines/core/start_core.ts";
import { AppDisabledError, SqliteAppRegistry } from "../../lib/registry/mod.ts";
import { loadSecretBox } from "../../lib/crypto/mod.ts";
import { createLogger, MemorySink } from "../../lib/log/mod.ts";
import { waitFor } from "../../lib/testing/mod.ts";

const SECOND = { appId: "cli_0123456789abcdef", appSecret: "second-secret" };
const ADMIN = "admin-token-for-the-wiring-test";

Deno.test("core: the admin API writes the real registry and the token manager reads it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "core_registry_" });
  const sandbox = createSandbox({
    apps: [{ appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET }, SECOND],
    defaultRateLimits: false,
  });
  const sbx = await sandbox.listen({ port: 0 });
  const env: Record<string, string> = {
    FEISHU_APP_ID: DEFAULT_APP_ID,
    FEISHU_APP_SECRET: DEFAULT_APP_SECRET,
    FEISHU_BASE_URL: sbx.url,
    FEISHU_ACCOUNTS_URL: sbx.url,
    FEISHU_CORE_STATE_DIR: dir,
    FEISHU_CORE_ADMIN_TOKEN: ADMIN,
    FEISHU_QUEUE_URL: `sqlite://${dir}/queue.db`,
  };
  const core = await startCore(loadCoreConfig((n) => env[n]), {
    logger: createLogger({ sinks: [new MemorySink()] }),
  });
  try {
    const admin = (path: string, init: RequestInit = {}) =>
      core.service.fetch(
        new Request(`http://127.0.0.1:8787${path}`, {
          ...init,
          headers: {
            authorization: `Bearer ${ADMIN}`,
            "content-type": "application/json",
            host: "127.0.0.1:8787",
          },
        }),
      );
    const added = await admin("/admin/apps", {
      method: "POST",
      body: JSON.stringify({ app_id: SECOND.appId, app_secret: SECOND.appSecret, name: "第二个应用" }),
    });
    assert.equal(added.status, 201, await added.clone().text());
    const headers = await core.tokens.tenantAuth(SECOND.appId).headers();
    assert.match(
      headers.authorization ?? headers.Authorization ?? "",
      /^Bearer \S+/,
      "a token for the app added over HTTP",
    );

    const reg = new SqliteAppRegistry(`${dir}/apps.sqlite`, {
      box: await loadSecretBox({ keyFile: `${dir}/secret.key`, create: false }),
    });
    try {
      assert.equal((await reg.get(SECOND.appId))?.name, "第二个应用");
      assert.equal((await reg.credentials(SECOND.appId))?.appSecret, SECOND.appSecret);
    } finally {
      reg.close();
    }

    assert.equal((await admin(`/admin/apps/${SECOND.appId}/disable`, { method: "POST" })).status, 200);
    const before = sandbox.state.journal.entries.length;
    // The registry's change counter is polled at most once a second: wait for the change to show.
    const refused = await waitFor(
      () =>
        core.tokens.tenantAuth(SECOND.appId).headers().then(
          () => undefined,
          (e) => e,
        ),
      { timeoutMs: 10_000, what: "the disabled app refused" },
    );
    assert.ok(refused instanceof AppDisabledError, String(refused));
    assert.equal(sandbox.state.journal.entries.length, before, "no request for a disabled app");
  } finally {
    await core.close();
    await sbx.close();
    await Deno.remove(dir, { recursive: true });
  }
});
