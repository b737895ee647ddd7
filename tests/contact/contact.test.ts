import assert from "node:assert/strict";
import { ContactApi, ContactCache, listDirectory } from "../../lib/contact/mod.ts";
import { LarkError } from "../../lib/errors/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { larkJson, type RouteHandler, withFakeApi } from "../im/_fake_open_api.ts";
import { directoryRoutes } from "./_directory_fake.ts";

Deno.test("ContactApi: explicit id types, user fields, paging", async () => {
  await withFakeApi(directoryRoutes(), async ({ http, seen }) => {
    const api = new ContactApi(http(), { userIdType: "user_id" });
    const u = await api.getUser("zhangsan");
    assert.deepEqual(u, {
      id: "zhangsan",
      openId: "ou_1",
      unionId: undefined,
      userId: "zhangsan",
      name: "张三",
      enName: undefined,
      email: "zhangsan@example.com",
      departmentIds: ["od-1", "od-3"],
      resigned: undefined,
    });
    assert.equal(seen[0].query.get("user_id_type"), "user_id");
    assert.equal(seen[0].query.get("department_id_type"), "open_department_id");
    assert.equal((await api.getUser("lisi")).email, "lisi@corp.example.com", "enterprise email fallback");
    const members = [];
    for await (const m of api.usersInDepartment("od-1")) members.push(m.id);
    assert.deepEqual(members, ["zhangsan", "zhaoliu"]);
    const pages = seen.filter((s) => s.path.endsWith("find_by_department"));
    assert.deepEqual(pages.map((p) => p.query.get("page_token")), [null, "1"]);
    assert.equal(pages[0].query.get("page_size"), "50");
    const dept = await api.getDepartment("od-3");
    assert.deepEqual(dept, { id: "od-3", name: "后端组", parentId: "od-1", memberCount: 1 });
  });
});

Deno.test("ContactCache: fetch once, serve for 24 h, refetch after; names of departments; root left out", async () => {
  await withFakeApi(directoryRoutes(), async ({ http, seen }) => {
    const clock = new FakeClock(1_000_000);
    const api = new ContactApi(http(), { userIdType: "user_id" });
    const cache = new ContactCache({ path: ":memory:", appId: "cli_a", api, clock });
    try {
      const [a, b] = await Promise.all([cache.getUser("zhangsan"), cache.getUser("zhangsan")]);
      assert.deepEqual(a, b);
      assert.deepEqual(a.departments, [{ id: "od-1", name: "研发部" }, { id: "od-3", name: "后端组" }]);
      assert.equal(a.email, "zhangsan@example.com");
      const calls = seen.length;
      assert.equal(calls, 3, "one user fetch (shared) + two department fetches");
      await clock.tick(23 * 3600_000);
      await cache.getUser("zhangsan");
      assert.equal(seen.length, calls, "fresh: no call");
      await clock.tick(2 * 3600_000);
      const again = await cache.getUser("zhangsan");
      assert.equal(again.fetchedAt, clock.now());
      assert.equal(seen.length, calls + 3, "expired: user and departments fetched again");
      const li = await cache.getUser("lisi");
      assert.deepEqual(li.departments, [], "root department left out");
      const wang = await cache.getUser("wangwu");
      assert.deepEqual(wang.departments, [{ id: "od-2", name: "市场部" }]);
      assert.deepEqual(wang.unresolvedDepartmentIds, ["od-9"], "no authority on od-9: skipped, reported");
    } finally {
      cache.close();
    }
  });
});

Deno.test("ContactCache: entries are per app and survive reopening; stale entry used when Feishu is down", async () => {
  const dir = await Deno.makeTempDir();
  let down = false;
  const routes = directoryRoutes();
  const wrapped: Record<string, RouteHandler> = {};
  for (const [k, h] of Object.entries(routes)) {
    wrapped[k] = (c, n) => (down ? larkJson({ code: 5000, msg: "internal" }, 500) : h(c, n));
  }
  try {
    await withFakeApi(wrapped, async ({ http, seen }) => {
      const clock = new FakeClock(0);
      const api = new ContactApi(http({ retry: { retries: 0 } }), { userIdType: "user_id" });
      const first = new ContactCache({ path: `${dir}/c.db`, appId: "cli_a", api, clock });
      await first.getUser("zhaoliu");
      first.close();
      const n = seen.length;
      const second = new ContactCache({ path: `${dir}/c.db`, appId: "cli_a", api, clock });
      assert.equal((await second.getUser("zhaoliu")).name, "赵六");
      assert.equal(seen.length, n, "served from the file");
      const otherApp = new ContactCache({ path: `${dir}/c.db`, appId: "cli_b", api, clock });
      await otherApp.getUser("zhaoliu");
      assert.ok(seen.length > n, "another app does not share entries");
      otherApp.close();
      await clock.tick(25 * 3600_000);
      down = true;
      const stale = await second.getUser("zhaoliu");
      assert.equal(stale.stale, true);
      assert.equal(stale.name, "赵六");
      await assert.rejects(second.getUser("zhangsan"), LarkError, "nothing cached: the error surfaces");
      second.close();
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listDirectory: every user once, with department names, sorted", async () => {
  for (const refuseRecursive of [false, true]) {
    await withFakeApi(directoryRoutes({ refuseRecursive }), async ({ http, seen }) => {
      const api = new ContactApi(http(), { userIdType: "user_id" });
      const progress: number[] = [];
      const rows = await listDirectory(api, { onProgress: (p) => progress.push(p.departmentsDone) });
      assert.deepEqual(rows.map((r) => r.user_id).sort(), ["lisi", "wangwu", "zhangsan", "zhaoliu"]);
      const zs = rows.find((r) => r.user_id === "zhangsan")!;
      assert.deepEqual(zs, {
        user_id: "zhangsan",
        name: "张三",
        email: "zhangsan@example.com",
        departments: [{ id: "od-1", name: "研发部" }, { id: "od-3", name: "后端组" }],
      });
      assert.deepEqual(rows.find((r) => r.user_id === "wangwu")!.departments, [
        { id: "od-2", name: "市场部" },
        { id: "od-9", name: "" },
      ]);
      assert.deepEqual(rows.find((r) => r.user_id === "lisi")!.departments, []);
      assert.equal(progress.length, 4, "root + 3 departments");
      const names = rows.map((r) => r.name);
      assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, "zh-CN")));
      if (refuseRecursive) {
        assert.ok(seen.some((s) => s.query.get("fetch_child") === "false"), "walked level by level");
      }
    });
  }
});
