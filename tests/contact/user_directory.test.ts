/** The per-app user cache: TTL, hit rate, two apps apart, department members, deleted departments. */
import assert from "node:assert/strict";
import { SqliteUserCacheStore, UserDirectory } from "../../lib/contact/mod.ts";
import { NotFoundError, ParamError } from "../../lib/errors/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { deleteDepartment } from "../../sandbox/contact/_deleted.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { DEFAULT_APP_ID } from "../../sandbox/mod.ts";
import { OTHER_APP, withContacts } from "./_env.ts";

const DAY = 24 * 3600_000;

Deno.test("UserDirectory: fresh entries are hits, expired ones are fetched again, hit rate reported", async () => {
  await withContacts(async ({ sandbox, http, calls }) => {
    const users = meetingFamily(sandbox).directory.users;
    const clock = new FakeClock(1_000_000);
    const store = new SqliteUserCacheStore(":memory:");
    const dir = new UserDirectory({ appId: DEFAULT_APP_ID, http: await http(), store, clock });
    const emails = users.slice(0, 10).map((u) => u.email);
    const first = await dir.lookup({ emails });
    assert.equal(first.length, 10);
    assert.equal(calls("contact_batch_get_id"), 3);
    await dir.lookup({ emails });
    assert.equal(calls("contact_batch_get_id"), 3, "second lookup served from the cache");
    await clock.tick(DAY - 1);
    await dir.lookup({ emails: emails.slice(0, 5) });
    assert.equal(calls("contact_batch_get_id"), 3);
    await clock.tick(2);
    const again = await dir.lookup({ emails: emails.slice(0, 5) });
    assert.deepEqual(again, first.slice(0, 5));
    assert.equal(calls("contact_batch_get_id"), 6, "expired after 24 h: refreshed");
    const s = dir.stats();
    assert.equal(s.lookups, 30);
    assert.equal(s.hits, 15);
    assert.equal(s.hitRate, 0.5);
    assert.equal(s.apiCalls, 6);
    assert.equal(s.apiCallsWithoutCache, 12);
    await store.close();
  });
});

Deno.test("UserDirectory: 'nobody' is cached for an hour, not a day", async () => {
  await withContacts(async ({ http, calls }) => {
    const clock = new FakeClock(0);
    const dir = new UserDirectory({
      appId: DEFAULT_APP_ID,
      http: await http(),
      store: new SqliteUserCacheStore(":memory:"),
      clock,
    });
    assert.deepEqual(await dir.lookup({ emails: ["ghost@example.com"] }), []);
    assert.deepEqual(await dir.lookup({ emails: ["ghost@example.com"] }), []);
    assert.equal(calls("contact_batch_get_id"), 3);
    await clock.tick(3600_000);
    await dir.lookup({ emails: ["ghost@example.com"] });
    assert.equal(calls("contact_batch_get_id"), 6);
  });
});

Deno.test("UserDirectory: two apps share one SQLite file but never each other's open_ids", async () => {
  await withContacts(async ({ sandbox, http }) => {
    const zhang = meetingFamily(sandbox).directory.users[0];
    const path = await Deno.makeTempFile({ suffix: ".db" });
    try {
      const storeA = new SqliteUserCacheStore(path), storeB = new SqliteUserCacheStore(path);
      const a = new UserDirectory({ appId: DEFAULT_APP_ID, http: await http(), store: storeA });
      const b = new UserDirectory({ appId: OTHER_APP.appId, http: await http(true), store: storeB });
      const [fromA] = await a.lookup({ emails: [zhang.email] });
      const [fromB] = await b.lookup({ emails: [zhang.email] });
      assert.equal(fromA.unionId, fromB.unionId);
      assert.notEqual(fromA.openId, fromB.openId);
      const key = `email:${zhang.email}`;
      assert.equal((await storeA.getMany(DEFAULT_APP_ID, [key])).get(key)?.openId, zhang.openId);
      assert.equal((await storeA.getMany(OTHER_APP.appId, [key])).get(key)?.openId, fromB.openId);
      await storeA.close();
      await storeB.close();
    } finally {
      await Deno.remove(path);
    }
  });
});

Deno.test("UserDirectory: department members fill the cache in one batch; user() then hits", async () => {
  await withContacts(async ({ sandbox, http, calls }) => {
    const fam = meetingFamily(sandbox);
    const backend = fam.directory.departments.find((d) => d.name === "后端组")!;
    const dir = new UserDirectory({
      appId: DEFAULT_APP_ID,
      http: await http(),
      store: new SqliteUserCacheStore(":memory:"),
    });
    const members = await dir.departmentMembers(backend.openDepartmentId);
    const expected = fam.directory.members(backend.departmentId);
    assert.deepEqual(members.map((m) => m.openId), expected.map((u) => u.openId));
    const before = calls("contact_user_get");
    const u = await dir.user(expected[0].unionId, "union_id");
    assert.equal(u.name, expected[0].name);
    assert.equal(u.openId, expected[0].openId);
    assert.equal(calls("contact_user_get"), before, "served from the members batch");
    const [byMail] = await dir.lookup({ emails: [expected[0].email] });
    assert.equal(byMail.openId, expected[0].openId);
    assert.equal(calls("contact_batch_get_id"), 0);
  });
});

Deno.test("UserDirectory: a deleted or unknown department is NotFoundError, not an empty list", async () => {
  await withContacts(async ({ sandbox, http }) => {
    const fam = meetingFamily(sandbox);
    const qa = fam.directory.departments.find((d) => d.name === "测试组")!;
    const dir = new UserDirectory({
      appId: DEFAULT_APP_ID,
      http: await http(),
      store: new SqliteUserCacheStore(":memory:"),
    });
    assert.ok((await dir.departmentMembers(qa.openDepartmentId)).length > 0);
    deleteDepartment(sandbox.state, qa.departmentId);
    await assert.rejects(
      () => dir.departmentMembers(qa.openDepartmentId),
      (e) => e instanceof NotFoundError && e.hint.includes("已被删除"),
    );
    await assert.rejects(() => dir.departmentMembers("od-unknown"), NotFoundError);
    await assert.rejects(
      () => dir.departmentMembers(""),
      (e) => e instanceof ParamError && e.field === "departmentId",
    );
    assert.ok(Array.isArray(await dir.departmentMembers("0")), "the root is never 'deleted'");
  });
});
