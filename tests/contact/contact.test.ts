/** The contact client, cache and directory listing against the sandbox's contact v3 endpoints. */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { ContactApi, ContactCache, listDirectory } from "../../lib/contact/mod.ts";
import { LarkError } from "../../lib/errors/mod.ts";
import { LarkHttp, type LarkHttpOptions } from "../../lib/http/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import type { Sandbox } from "../../sandbox/mod.ts";
import { meetingFamily, type MeetingSandboxOptions } from "../../sandbox/scenarios/meeting/mod.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

interface Env {
  sandbox: Sandbox;
  http: (o?: Partial<LarkHttpOptions>) => LarkHttp;
  /** Contact calls answered so far (journal). */
  calls: () => number;
}

async function withDirectory(meeting: MeetingSandboxOptions, fn: (env: Env) => Promise<void>): Promise<void> {
  await withSandbox({ meeting: { extraUsers: 6, ...meeting } }, async ({ sandbox, url }) => {
    const auth = staticAuth("tenant:test", { Authorization: `Bearer ${await token(url)}` });
    const http = (o: Partial<LarkHttpOptions> = {}) =>
      new LarkHttp({ baseUrl: url, auth, retry: { baseMs: 1, capMs: 5 }, ...o });
    const calls = () => sandbox.journal.entries.filter((e) => e.endpoint.startsWith("contact_")).length;
    await fn({ sandbox, http, calls });
  });
}

Deno.test("ContactApi: explicit id types, user fields, paging", async () => {
  await withDirectory({}, async ({ sandbox, http }) => {
    const dir = meetingFamily(sandbox).directory;
    const zhang = dir.users[0];
    const api = new ContactApi(http(), { userIdType: "user_id" });
    const u = await api.getUser(zhang.userId);
    assert.deepEqual(u, {
      id: zhang.userId,
      openId: zhang.openId,
      unionId: zhang.unionId,
      userId: zhang.userId,
      name: "张三",
      enName: zhang.enName,
      email: zhang.email,
      departmentIds: dir.departmentsOf(zhang).map((d) => d.openDepartmentId),
      resigned: false,
    });
    const seen = sandbox.journal.filter("contact_user_get");
    const query = new URLSearchParams(seen[0].query);
    assert.equal(query.get("user_id_type"), "user_id");
    assert.equal(query.get("department_id_type"), "open_department_id");

    const backend = dir.departments.find((d) => d.name === "后端组")!;
    const members = [];
    for await (const m of api.usersInDepartment(backend.openDepartmentId)) members.push(m.id);
    assert.deepEqual(members, dir.members(backend.departmentId).map((m) => m.userId));
    const dept = await api.getDepartment(backend.openDepartmentId);
    const rd = dir.departments.find((d) => d.name === "研发部")!;
    assert.deepEqual(dept, {
      id: backend.openDepartmentId,
      name: "后端组",
      parentId: rd.openDepartmentId,
      memberCount: dir.members(backend.departmentId).length,
    });
    await assert.rejects(api.getUser("nobody"), (e) => e instanceof LarkError && e.code === 41050);
  });
});

Deno.test("ContactApi: without the field scopes, no user_id and no email", async () => {
  await withDirectory({}, async ({ sandbox, http }) => {
    const zhang = meetingFamily(sandbox).directory.users[0];
    sandbox.state.appScopes.delete("contact:user.employee_id:readonly");
    sandbox.state.appScopes.delete("contact:user.email:readonly");
    const u = await new ContactApi(http(), { userIdType: "open_id" }).getUser(zhang.openId);
    assert.equal(u.name, "张三");
    assert.equal(u.userId, undefined);
    assert.equal(u.email, undefined);
  });
});

Deno.test("ContactCache: fetch once, serve for 24 h, refetch after; names of departments; out of range reported", async () => {
  await withDirectory({}, async ({ sandbox, http, calls }) => {
    const family = meetingFamily(sandbox);
    const zhang = family.directory.users[0];
    const boss = family.directory.users.find((u) => u.departmentIds.includes("0"))!;
    const clock = new FakeClock(1_000_000);
    const api = new ContactApi(http(), { userIdType: "user_id" });
    const cache = new ContactCache({ path: ":memory:", appId: "cli_a", api, clock });
    try {
      const [a, b] = await Promise.all([cache.getUser(zhang.userId), cache.getUser(zhang.userId)]);
      assert.deepEqual(a, b);
      assert.deepEqual(
        a.departments.map((d) => d.name),
        family.directory.departmentsOf(zhang).map((d) => d.name),
      );
      const n = calls();
      assert.equal(n, 3, "one user fetch (shared) + two department fetches");
      await clock.tick(23 * 3600_000);
      await cache.getUser(zhang.userId);
      assert.equal(calls(), n, "fresh: no call");
      await clock.tick(2 * 3600_000);
      const again = await cache.getUser(zhang.userId);
      assert.equal(again.fetchedAt, clock.now());
      assert.equal(calls(), n + 3, "expired: user and departments fetched again");
      assert.deepEqual((await cache.getUser(boss.userId)).departments, [], "root department left out");

      const market = family.directory.departments.find((d) => d.name === "市场部")!;
      family.configure({ contactOutOfScope: [market.departmentId] });
      const wang = family.directory.users.find((u) =>
        u !== zhang && u.departmentIds.includes(market.departmentId) && u.departmentIds.length > 1
      ) ?? zhang;
      await clock.tick(25 * 3600_000);
      const seen = await cache.getUser(wang.userId);
      assert.deepEqual(
        seen.unresolvedDepartmentIds,
        [market.openDepartmentId],
        "40004 [403]: skipped, reported",
      );
      assert.ok(seen.departments.length > 0);
    } finally {
      cache.close();
    }
  });
});

Deno.test("ContactCache: entries are per app and survive reopening; stale entry used when Feishu is down", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withDirectory({}, async ({ sandbox, http, calls }) => {
      const users = meetingFamily(sandbox).directory.users;
      const [zhang, other] = [users[0], users[3]];
      const clock = new FakeClock(0);
      const api = new ContactApi(http({ retry: { retries: 0 } }), { userIdType: "user_id" });
      const first = new ContactCache({ path: `${dir}/c.db`, appId: "cli_a", api, clock });
      await first.getUser(other.userId);
      first.close();
      const n = calls();
      const second = new ContactCache({ path: `${dir}/c.db`, appId: "cli_a", api, clock });
      assert.equal((await second.getUser(other.userId)).name, other.name);
      assert.equal(calls(), n, "served from the file");
      const otherApp = new ContactCache({ path: `${dir}/c.db`, appId: "cli_b", api, clock });
      await otherApp.getUser(other.userId);
      assert.ok(calls() > n, "another app does not share entries");
      otherApp.close();
      await clock.tick(25 * 3600_000);
      sandbox.faults.set("*", { errorRate: 1 });
      const stale = await second.getUser(other.userId);
      assert.equal(stale.stale, true);
      assert.equal(stale.name, other.name);
      await assert.rejects(second.getUser(zhang.userId), LarkError, "nothing cached: the error surfaces");
      second.close();
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listDirectory: every user once, with department names, sorted; recursion refused (43010, 40162)", async () => {
  for (const refusal of [0, 43010, 40162] as const) {
    await withDirectory({ contactRefuseRecursive: refusal }, async ({ sandbox, http }) => {
      const dir = meetingFamily(sandbox).directory;
      const api = new ContactApi(http(), { userIdType: "user_id" });
      const progress: number[] = [];
      const rows = await listDirectory(api, { onProgress: (p) => progress.push(p.departmentsDone) });
      assert.deepEqual(rows.map((r) => r.user_id).sort(), dir.users.map((u) => u.userId).sort());
      const zhang = dir.users[0];
      const zs = rows.find((r) => r.user_id === zhang.userId)!;
      assert.deepEqual(zs, {
        user_id: zhang.userId,
        name: "张三",
        email: zhang.email,
        departments: dir.departmentsOf(zhang).map((d) => ({ id: d.openDepartmentId, name: d.name })),
      });
      const boss = dir.users.find((u) => u.departmentIds.includes("0"))!;
      assert.deepEqual(rows.find((r) => r.user_id === boss.userId)!.departments, []);
      assert.equal(progress.length, dir.departments.length + 1, "root + every department");
      const names = rows.map((r) => r.name);
      assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, "zh-CN")));
      const children = sandbox.journal.filter("contact_department_children");
      const flat = children.filter((e) => new URLSearchParams(e.query).get("fetch_child") === "false");
      assert.equal(flat.length > 0, refusal !== 0, "walked level by level only when refused");
    });
  }
});
