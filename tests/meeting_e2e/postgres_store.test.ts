/**
 * The archiver with its tokens in PostgreSQL (`state.token_store:
 * postgres://…`, the test's own schema, dropped after): a user authorizes, a
 * meeting is archived, and the tenant and user tokens are found (encrypted)
 * in PostgreSQL — none in a SQLite file; the key file stays in the local
 * state folder; a restarted service still knows the user's login.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { PG_TEST_URL, postgresForTests, testSchema } from "../../lib/testing/postgres_test_schema.ts";
import { meetingTokenStore } from "../../pipelines/meeting/config.ts";
import { DEFAULT_APP_ID } from "../../sandbox/mod.ts";
import { authorize, jobInState, withHarness } from "./_harness.ts";

const pg = await postgresForTests();

Deno.test({
  name: "e2e: a postgres:// token store — authorize, archive, tokens in PostgreSQL, kept across a restart",
  ignore: pg.ignore,
  async fn() {
    const schema = testSchema();
    try {
      await withHarness({ config: { state: { token_store: schema.url } } }, async (h) => {
        assert.equal(meetingTokenStore(h.config), schema.url);
        const li = h.family.directory.users[1];
        const page = await authorize(h, li.userId);
        assert.equal(page.status, 200);
        const ended = await h.family.endMeeting({ topic: "周会", owner_user_id: li.userId });
        await jobInState(h, String(ended.meeting.id), "done");

        const sql = postgres(PG_TEST_URL, { max: 1, onnotice: () => {} });
        try {
          const rows = await sql.unsafe(`SELECT key, data FROM "${schema.name}".tokens ORDER BY key`);
          const keys = rows.map((r) => String(r.key));
          assert.ok(keys.includes(`tenant:${DEFAULT_APP_ID}`), keys.join());
          assert.ok(keys.includes(`user:${DEFAULT_APP_ID}:${li.userId}`), keys.join());
          const plain = h.family.userTokens.tokens.map((t) => t.value);
          for (const r of rows) {
            assert.ok(!plain.some((v) => String(r.data).includes(v)), "user tokens are stored encrypted");
          }
        } finally {
          await sql.end({ timeout: 1 });
        }
        const stateFiles = [...Deno.readDirSync(`${h.dir}/state`)].map((e) => e.name);
        assert.ok(!stateFiles.includes("tokens.sqlite"), "no SQLite token store");
        assert.ok(stateFiles.includes("secret.key"), "the key file is in the local state folder");

        await h.stopService();
        await h.startService();
        assert.equal(await h.service.clients.tokens.userStatus(DEFAULT_APP_ID, li.userId), "authorized");
      });
    } finally {
      await schema.drop();
    }
  },
});
