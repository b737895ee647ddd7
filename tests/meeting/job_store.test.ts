import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { JobStore } from "../../pipelines/meeting/job_store.ts";

const T0 = Date.UTC(2026, 0, 19, 2, 30);

function input(meetingId: string, userId = "u1") {
  return {
    meetingId,
    userId,
    topic: "周会",
    startTime: "1768788000",
    endTime: "1768791600",
    eventId: `ev-${meetingId}`,
  };
}

async function tempDb() {
  const dir = await Deno.makeTempDir({ prefix: "jobs-" });
  return { dir, path: `${dir}/meeting.sqlite` };
}

Deno.test("job store: enqueue is idempotent per (meeting, user) and survives reopening", async () => {
  const { dir, path } = await tempDb();
  const clock = new FakeClock(T0);
  const store = new JobStore(path, { clock });
  const a = store.enqueue({
    ...input("m1"),
    ownerIds: { open_id: "ou_1", user_id: "u1" },
    nextRunAt: T0 + 10_000,
  });
  assert.equal(a.created, true);
  assert.equal(a.job.state, "waiting_recording");
  assert.equal(a.job.nextRunAt, T0 + 10_000);
  assert.equal(a.job.pollSince, T0);
  assert.deepEqual(a.job.ownerIds, { open_id: "ou_1", user_id: "u1" });
  const b = store.enqueue({ ...input("m1"), topic: "另一个主题" });
  assert.equal(b.created, false);
  assert.equal(b.job.id, a.job.id);
  assert.equal(b.job.topic, "周会");
  assert.equal(
    store.enqueue(input("m1", "u2")).created,
    true,
    "another user of the same meeting is another job",
  );
  store.close();
  const reopened = new JobStore(path, { clock });
  assert.equal(reopened.listRecent(10).length, 2);
  assert.deepEqual(reopened.find("m1", "u1"), a.job);
  reopened.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("job store: claimDue takes due jobs only, leases them, and an expired lease is claimable again", async () => {
  const { dir, path } = await tempDb();
  const clock = new FakeClock(T0);
  const store = new JobStore(path, { clock });
  const early = store.enqueue({ ...input("m1"), nextRunAt: T0 }).job;
  const late = store.enqueue({ ...input("m2"), nextRunAt: T0 + 60_000 }).job;
  const claimed = store.claimDue(T0, 10, { owner: "w1", leaseMs: 30_000 });
  assert.deepEqual(claimed.map((j) => j.id), [early.id]);
  assert.equal(claimed[0].leaseOwner, "w1");
  assert.equal(claimed[0].leaseUntil, T0 + 30_000);
  assert.deepEqual(store.claimDue(T0 + 1000, 10, { owner: "w2" }), [], "a live lease is respected");
  // w1 died: after the lease, w2 takes it over (and the other job has become due).
  const later = store.claimDue(T0 + 60_000, 10, { owner: "w2" });
  assert.deepEqual(later.map((j) => j.id), [early.id, late.id]);
  // The dead worker's writes are refused now.
  assert.equal(store.update(early.id, "w1", { state: "downloading" }), undefined);
  assert.equal(store.renewLease(early.id, "w1", T0 + 999_999), false);
  const moved = store.update(early.id, "w2", { state: "downloading", minuteToken: "tok" });
  assert.equal(moved?.state, "downloading");
  assert.equal(moved?.leaseOwner, "w2");
  const released = store.update(early.id, "w2", { nextRunAt: T0 + 70_000 }, true);
  assert.equal(released?.leaseOwner, undefined);
  assert.deepEqual(store.claimDue(T0 + 65_000, 10, { owner: "w3" }), []);
  assert.equal(store.claimDue(T0 + 70_000, 10, { owner: "w3" })[0].state, "downloading");
  // limit is honoured
  for (let i = 0; i < 5; i++) store.enqueue({ ...input(`x${i}`), nextRunAt: T0 });
  assert.equal(store.claimDue(T0 + 80_000, 2, { owner: "w4" }).length, 2);
  store.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("job store: finished, failed and waiting jobs are never claimed; counts and recent list", async () => {
  const { dir, path } = await tempDb();
  const clock = new FakeClock(T0);
  const store = new JobStore(path, { clock });
  const ids = ["m1", "m2", "m3", "m4"].map((m) => store.enqueue({ ...input(m), nextRunAt: T0 }).job.id);
  store.claimDue(T0, 10, { owner: "w" });
  store.update(ids[0], "w", { state: "done" }, true);
  await clock.tick(1000);
  store.update(ids[1], "w", { state: "failed", reason: "原因" }, true);
  await clock.tick(1000);
  store.update(ids[2], "w", { state: "waiting_authorization", resumeState: "downloading" }, true);
  await clock.tick(1000);
  store.release(ids[3], "w");
  assert.deepEqual(store.claimDue(T0 + 5000, 10, { owner: "w2" }).map((j) => j.id), [ids[3]]);
  const c = store.counts();
  assert.equal(c.done, 1);
  assert.equal(c.failed, 1);
  assert.equal(c.waiting_authorization, 1);
  assert.equal(c.waiting_recording, 1);
  assert.equal(c.notifying, 0);
  // Most recently changed first: ids[3] was just claimed again by w2, then ids[2], ids[1], ids[0].
  assert.deepEqual(store.listRecent(3).map((j) => j.id), [ids[3], ids[2], ids[1]]);
  assert.equal(store.get(ids[1])?.reason, "原因");
  store.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("job store: resumeUser brings every waiting job of that user back to where it stopped", async () => {
  const { dir, path } = await tempDb();
  const clock = new FakeClock(T0);
  const store = new JobStore(path, { clock });
  const a = store.enqueue({ ...input("m1"), nextRunAt: T0 }).job;
  const b = store.enqueue({ ...input("m2"), nextRunAt: T0 }).job;
  const other = store.enqueue({ ...input("m3", "u2"), nextRunAt: T0 }).job;
  store.claimDue(T0, 10, { owner: "w" });
  store.update(
    a.id,
    "w",
    { state: "waiting_authorization", resumeState: "waiting_recording", attempts: 7 },
    true,
  );
  store.update(
    b.id,
    "w",
    { state: "waiting_authorization", resumeState: "downloading", reason: "授权过期" },
    true,
  );
  store.update(other.id, "w", { state: "waiting_authorization", resumeState: "downloading" }, true);
  assert.deepEqual(store.waitingForAuthorization("u1").map((j) => j.id), [a.id, b.id]);
  const later = T0 + 3 * 3600_000;
  const resumed = store.resumeUser("u1", later);
  assert.deepEqual(resumed.map((j) => [j.id, j.state, j.nextRunAt, j.reason, j.attempts]), [
    [a.id, "waiting_recording", later, "", 0],
    [b.id, "downloading", later, "", 0],
  ]);
  assert.equal(resumed[0].pollSince, later, "the ladder starts afresh");
  assert.equal(store.get(other.id)?.state, "waiting_authorization");
  assert.deepEqual(store.waitingForAuthorization("u1"), []);
  assert.deepEqual(store.claimDue(later, 10, { owner: "w2" }).map((j) => j.id), [a.id, b.id]);
  store.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("job store: retry sends a failed job round again", async () => {
  const { dir, path } = await tempDb();
  const store = new JobStore(path, { clock: new FakeClock(T0) });
  const j = store.enqueue({ ...input("m1"), nextRunAt: T0 }).job;
  assert.equal(store.retry(j.id, T0), false, "only failed jobs");
  store.claimDue(T0, 1, { owner: "w" });
  store.update(j.id, "w", { state: "failed", minuteToken: "tok", reason: "NAS 空间不足" }, true);
  assert.equal(store.retry(j.id, T0 + 10), true);
  const again = store.get(j.id)!;
  assert.equal(again.state, "downloading");
  assert.equal(again.reason, "");
  assert.equal(again.nextRunAt, T0 + 10);
  store.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("job store: processes claiming at once never get the same job (BEGIN IMMEDIATE)", async () => {
  const { dir, path } = await tempDb();
  const store = new JobStore(path);
  const n = 150;
  for (let i = 0; i < n; i++) store.enqueue({ ...input(`m${i}`), nextRunAt: 0 });
  const child = new URL("./_claim_child.ts", import.meta.url).pathname;
  const outs = await Promise.all([1, 2, 3].map((k) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", "--allow-env", child, path, `w${k}`],
      stdout: "piped",
      stderr: "piped",
    }).output()
  ));
  const all: number[] = [];
  for (const o of outs) {
    assert.ok(o.success, new TextDecoder().decode(o.stderr));
    all.push(...JSON.parse(new TextDecoder().decode(o.stdout)));
  }
  assert.equal(all.length, n);
  assert.equal(new Set(all).size, n);
  store.close();
  await Deno.remove(dir, { recursive: true });
});
