/** The PostgreSQL user cache store against a real server, behind UserDirectory and the sandbox. */
import assert from "node:assert/strict";
import { PostgresUserCacheStore, UserDirectory } from "../../lib/contact/mod.ts";
import { ConfigError } from "../../lib/errors/mod.ts";
import { DEFAULT_APP_ID } from "../../sandbox/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { OTHER_APP, withContacts } from "./_env.ts";
import { dropSchema, psqlAvailable, psqlClient } from "./_psql.ts";

const ignore = !(await psqlAvailable());

Deno.test({
  name: "PostgresUserCacheStore: entries survive a new directory, apps stay apart, a batch is one statement",
  ignore,
  fn: async () => {
    const schema = `fk_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    try {
      await withContacts(async ({ sandbox, http, calls }) => {
        const users = meetingFamily(sandbox).directory.users.slice(0, 60);
        const sql = psqlClient();
        const store = new PostgresUserCacheStore(sql, { schema });
        const a = new UserDirectory({ appId: DEFAULT_APP_ID, http: await http(), store });
        const found = await a.lookup({ emails: users.map((u) => u.email) });
        assert.equal(found.length, 60);
        const before = sql.statements;
        await store.putMany(
          DEFAULT_APP_ID,
          found.map((f) => ({ key: `x:${f.email}`, found: true, fetchedAt: 1 })),
        );
        assert.equal(sql.statements - before, 1, "60 entries, one INSERT");

        const again = new UserDirectory({
          appId: DEFAULT_APP_ID,
          http: await http(),
          store: new PostgresUserCacheStore(psqlClient(), { schema }),
        });
        const calledBefore = calls("contact_batch_get_id");
        assert.deepEqual(await again.lookup({ emails: users.map((u) => u.email) }), found);
        assert.equal(calls("contact_batch_get_id"), calledBefore, "served from PostgreSQL");
        assert.equal(again.stats().hitRate, 1);

        const b = new UserDirectory({ appId: OTHER_APP.appId, http: await http(true), store });
        const [fromB] = await b.lookup({ emails: [users[0].email] });
        assert.equal(fromB.unionId, found[0].unionId);
        assert.notEqual(fromB.openId, found[0].openId);
        await b.clear();
        const key = `email:${users[0].email}`;
        assert.equal((await store.getMany(OTHER_APP.appId, [key])).size, 0);
        assert.equal((await store.getMany(DEFAULT_APP_ID, [key])).get(key)?.openId, found[0].openId);
      });
    } finally {
      await dropSchema(schema);
    }
  },
});

Deno.test("PostgresUserCacheStore: a bad schema name is a ConfigError", () => {
  assert.throws(() => new PostgresUserCacheStore(psqlClient(), { schema: 'x"; drop' }), ConfigError);
});
