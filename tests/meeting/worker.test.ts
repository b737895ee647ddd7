import assert from "node:assert/strict";
import { LarkError } from "../../lib/errors/lark_error.ts";
import { PermissionError } from "../../lib/errors/permission_error.ts";
import { ServerError } from "../../lib/errors/server_error.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { JobStore } from "../../pipelines/meeting/job_store.ts";
import { MeetingWorker, type MeetingWorkerOptions } from "../../pipelines/meeting/worker.ts";
import { drive, FakeFeishu, tokenOf, until, video } from "./_fakes.ts";

const T0 = Date.UTC(2026, 0, 19, 3, 0); // the meeting ended 11:00 +08:00
const S = 1000;
const MIN = 60 * S;
const FILE = "张三_周会_20260119_1000.mp4";

function meeting(id: string, userId = "u1", topic = "周会") {
  return {
    meetingId: id,
    userId,
    topic,
    startTime: "1768788000",
    endTime: "1768791600",
    eventId: `ev_${id}`,
  };
}

async function world(
  overrides: Partial<MeetingWorkerOptions> = {},
  nas: Partial<MeetingWorkerOptions["nas"]> = {},
) {
  const dir = await Deno.makeTempDir({ prefix: "meeting-" });
  const clock = new FakeClock(T0);
  const feishu = new FakeFeishu(clock);
  feishu.users.set("u1", {
    name: "张三",
    departments: [{ id: "D1", name: "研发部" }, { id: "D2", name: "市场部" }],
  });
  feishu.users.set("u2", { name: "李四", departments: [{ id: "D1", name: "研发部" }] });
  const dbPath = `${dir}/meeting.sqlite`;
  const store = new JobStore(dbPath, { clock });
  const options = (s: JobStore): MeetingWorkerOptions => ({
    store: s,
    recordings: feishu.recordings,
    minutes: feishu.minutes,
    downloader: feishu.downloader,
    directory: feishu.directory,
    notifier: feishu.notifier,
    auth: feishu.auth,
    stagingDir: `${dir}/nas/.staging`,
    nas: { nasRoot: `${dir}/nas`, reserveBytes: 0, ...nas },
    clock,
    ...overrides,
  });
  const worker = new MeetingWorker(options(store));
  const cleanup = async () => {
    store.close();
    await Deno.remove(dir, { recursive: true });
  };
  return { dir, clock, feishu, store, worker, dbPath, options, cleanup };
}

Deno.test("worker: full path — wait, download, file for the user and each department, green card, done", async () => {
  const w = await world();
  w.feishu.readyAt.set("m1", T0);
  const { job } = w.worker.enqueue(meeting("m1"));
  assert.equal(job.nextRunAt, T0 + 10 * S, "first poll after the ladder's first step");
  assert.equal(await w.worker.runOnce(), 0, "nothing due yet");
  await w.clock.tick(10 * S);
  assert.equal(await w.worker.runOnce(), 1);
  const done = w.store.get(job.id)!;
  assert.equal(done.state, "done");
  assert.equal(done.minuteToken, tokenOf("m1"));
  assert.equal(done.fileName, FILE);
  assert.equal(done.filePath, `${w.dir}/nas/u1/${FILE}`);
  assert.equal(done.bytes, w.feishu.size);
  assert.equal(done.userName, "张三");
  assert.deepEqual(done.paths.map((p) => [p.path.slice(w.dir.length), p.method]), [
    [`/nas/u1/${FILE}`, "link"],
    [`/nas/@team/研发部/${FILE}`, "link"],
    [`/nas/@team/市场部/${FILE}`, "link"],
  ]);
  assert.deepEqual(await Deno.readFile(done.filePath), video(tokenOf("m1"), w.feishu.size));
  assert.equal((await Deno.stat(done.filePath)).nlink, 3, "staging copy removed, three links left");
  assert.deepEqual([...Deno.readDirSync(`${w.dir}/nas/.staging`)], []);
  assert.deepEqual(w.feishu.cards, [{ kind: "success", jobId: job.id, userId: "u1", paths: done.paths }]);
  assert.equal(done.leaseOwner, undefined);
  await w.cleanup();
});

Deno.test("worker: recording not ready → polls on the ladder until it appears", async () => {
  const w = await world();
  w.feishu.readyAt.set("m1", T0 + 100 * S);
  const { job } = w.worker.enqueue(meeting("m1"));
  await drive(w.worker, w.store, w.clock, T0 + 10 * MIN);
  assert.deepEqual(w.feishu.polls.get("m1")!.map((t) => t - T0), [10 * S, 30 * S, 60 * S, 120 * S]);
  assert.equal(w.store.get(job.id)!.state, "done");
  assert.equal(w.feishu.downloads.length, 1);
  await w.cleanup();
});

Deno.test("worker: no recording after 30 min → failed with a clear reason, no download", async () => {
  const w = await world();
  const { job } = w.worker.enqueue(meeting("m1"));
  await drive(w.worker, w.store, w.clock, T0 + 2 * 3600_000);
  const failed = w.store.get(job.id)!;
  assert.equal(failed.state, "failed");
  assert.match(failed.reason, /等待 30 分钟（查询 11 次）仍未生成录制/);
  assert.equal(w.feishu.polls.get("m1")!.length, 11);
  assert.equal(w.feishu.polls.get("m1")!.at(-1)! - T0, 30 * MIN);
  assert.equal(w.feishu.downloads.length, 0);
  assert.deepEqual(w.feishu.cards.map((c) => c.kind), ["failed"]);
  await w.cleanup();
});

Deno.test("worker: user not authorized → waiting with one red card → authorizes → every job back-filled", async () => {
  const w = await world();
  w.feishu.status.set("u1", "not_authorized");
  w.feishu.readyAt.set("m1", T0);
  w.feishu.readyAt.set("m2", T0);
  const a = w.worker.enqueue(meeting("m1")).job;
  const b = w.worker.enqueue(meeting("m2", "u1", "复盘")).job;
  await drive(w.worker, w.store, w.clock, T0 + 5 * MIN);
  assert.deepEqual([a, b].map((j) => w.store.get(j.id)!.state), [
    "waiting_authorization",
    "waiting_authorization",
  ]);
  const red = w.feishu.cards.filter((c) => c.kind === "auth");
  assert.equal(red.length, 1, "one red card for the user, not one per job");
  assert.match((red[0] as { reason: string }).reason, /授权/);
  // Nothing happens while waiting, however long.
  await w.clock.tick(3 * 3600_000);
  assert.equal(await w.worker.runOnce(), 0);
  // The user authorizes (the OAuth callback calls resumeUser).
  w.feishu.status.set("u1", "authorized");
  const resumed = w.worker.resumeUser("u1");
  assert.deepEqual(resumed.map((j) => j.id), [a.id, b.id]);
  assert.equal(await w.worker.runOnce(), 2);
  assert.deepEqual([a, b].map((j) => w.store.get(j.id)!.state), ["done", "done"]);
  assert.equal(w.feishu.cards.filter((c) => c.kind === "success").length, 2);
  await w.cleanup();
});

Deno.test("worker: token dies during the download → waiting_authorization, resumed at the download", async () => {
  const w = await world();
  w.feishu.readyAt.set("m1", T0);
  const { job } = w.worker.enqueue(meeting("m1"));
  await w.clock.tick(10 * S);
  // Authorized at the poll, but the refresh token is dead by the time the media URL is asked for.
  const original = w.feishu.minutes.info;
  w.feishu.minutes.info = async (t, u) => {
    const r = await original(t, u);
    w.feishu.status.set("u1", "expired");
    return r;
  };
  await w.worker.runOnce();
  const waiting = w.store.get(job.id)!;
  assert.equal(waiting.state, "waiting_authorization");
  assert.equal(waiting.resumeState, "downloading");
  assert.match(waiting.reason, /请重新授权/);
  assert.equal(w.feishu.cards.filter((c) => c.kind === "auth").length, 1);
  w.feishu.status.set("u1", "authorized");
  w.worker.resumeUser("u1");
  await w.worker.runOnce();
  assert.equal(w.store.get(job.id)!.state, "done");
  assert.deepEqual(w.feishu.polls.get("m1")!.length, 1, "the recording is not polled again");
  await w.cleanup();
});

Deno.test("worker: the same meeting twice (or after it is done) → one job, one download", async () => {
  const w = await world();
  w.feishu.readyAt.set("m1", T0);
  const first = w.worker.enqueue(meeting("m1"));
  const second = w.worker.enqueue(meeting("m1"));
  assert.equal(second.created, false);
  assert.equal(second.job.id, first.job.id);
  await drive(w.worker, w.store, w.clock, T0 + MIN);
  assert.equal(w.worker.enqueue(meeting("m1")).created, false);
  await drive(w.worker, w.store, w.clock, T0 + 10 * MIN);
  assert.equal(w.feishu.downloads.length, 1);
  assert.equal(w.store.listRecent(10).length, 1);
  assert.deepEqual([...Deno.readDirSync(`${w.dir}/nas/u1`)].map((e) => e.name), [FILE]);
  assert.equal(w.feishu.cards.length, 1);
  await w.cleanup();
});

Deno.test("worker: stopped mid-download → a new worker on the same database resumes the .part, one file", async () => {
  const w = await world();
  w.feishu.readyAt.set("m1", T0);
  w.feishu.hangAfter = 20_000;
  const { job } = w.worker.enqueue(meeting("m1"));
  await w.clock.tick(10 * S);
  const stop = new AbortController();
  const running = w.worker.run(stop.signal);
  await until(() => w.feishu.hanging);
  stop.abort();
  await running;
  const stopped = w.store.get(job.id)!;
  assert.equal(stopped.state, "downloading");
  assert.equal(stopped.leaseOwner, undefined, "lease released on a clean stop");
  // "Restart": another process opens the same database.
  const store2 = new JobStore(w.dbPath, { clock: w.clock });
  const worker2 = new MeetingWorker(w.options(store2));
  assert.equal(await worker2.runOnce(), 1);
  const done = store2.get(job.id)!;
  assert.equal(done.state, "done");
  assert.equal((await Deno.stat(done.filePath)).size, w.feishu.size);
  assert.deepEqual(await Deno.readFile(done.filePath), video(tokenOf("m1"), w.feishu.size));
  assert.equal(w.feishu.bytesSent, w.feishu.size, "the second download only fetched the rest");
  assert.equal(w.feishu.downloads.length, 2);
  store2.close();
  await w.cleanup();
});

Deno.test("worker: killed mid-download (lease not released) → taken over once the lease expires", async () => {
  const w = await world({ leaseMs: 30 * S });
  w.feishu.readyAt.set("m1", T0);
  w.feishu.hangAfter = 1000;
  const { job } = w.worker.enqueue(meeting("m1"));
  await w.clock.tick(10 * S);
  const dead = w.worker.runOnce().catch((e) => e); // its database handle goes away under it
  await until(() => w.feishu.hanging);
  w.store.close(); // the process is gone: no release, no more heartbeats
  const store2 = new JobStore(w.dbPath, { clock: w.clock });
  const worker2 = new MeetingWorker(w.options(store2));
  assert.equal(await worker2.runOnce(), 0, "the lease is still live");
  await w.clock.tick(30 * S); // the dead worker's heartbeat fails and cancels its download
  await dead;
  assert.equal(await worker2.runOnce(), 1);
  assert.equal(store2.get(job.id)!.state, "done");
  assert.equal(w.feishu.bytesSent, w.feishu.size);
  store2.close();
  await Deno.remove(w.dir, { recursive: true });
});

Deno.test("worker: never more than `concurrency` jobs at once; the loop stops cleanly on abort", async () => {
  const w = await world({ concurrency: 3, pollIntervalMs: 500 });
  const release: (() => void)[] = [];
  w.feishu.gate = () => new Promise<void>((r) => release.push(r));
  for (let i = 0; i < 8; i++) {
    w.feishu.readyAt.set(`m${i}`, T0);
    w.worker.enqueue(meeting(`m${i}`, i % 2 ? "u1" : "u2", `会议${i}`));
  }
  const stop = new AbortController();
  const loop = w.worker.run(stop.signal);
  const doneCount = () => w.store.counts().done;
  for (let round = 0; doneCount() < 8; round++) {
    assert.ok(round < 1000, "stuck");
    await w.clock.tick(500);
    assert.ok(w.feishu.inFlight <= 3, `in flight ${w.feishu.inFlight}`);
    assert.ok(w.worker.active <= 3, `active ${w.worker.active}`);
    // Open the gate only once the pool is full (or for the tail), so the bound is really tested.
    if (release.length >= Math.min(3, 8 - doneCount())) release.shift()?.();
  }
  assert.equal(w.feishu.maxInFlight, 3);
  assert.equal(w.feishu.downloads.length, 8);
  stop.abort();
  await loop;
  assert.equal(w.worker.active, 0);
  await w.cleanup();
});

Deno.test("worker: transient download errors back off and retry; a permission error fails with its hint", async () => {
  const w = await world({ retryBaseMs: 5 * S });
  w.feishu.readyAt.set("m1", T0);
  w.feishu.readyAt.set("m2", T0);
  w.feishu.downloadErrors.push(new ServerError("bad gateway", { httpStatus: 502 }));
  const a = w.worker.enqueue(meeting("m1")).job;
  await w.clock.tick(10 * S);
  await w.worker.runOnce();
  const retrying = w.store.get(a.id)!;
  assert.equal(retrying.state, "downloading");
  assert.equal(retrying.attempts, 1);
  assert.equal(retrying.nextRunAt, w.clock.now() + 5 * S);
  assert.match(retrying.lastError, /飞书服务|502|bad gateway/);
  await drive(w.worker, w.store, w.clock, T0 + MIN);
  assert.equal(w.store.get(a.id)!.state, "done");
  w.feishu.downloadErrors.push(
    new PermissionError("permission deny", { code: 2091005, hint: "没有该妙记的访问权限。" }),
  );
  const b = w.worker.enqueue(meeting("m2")).job;
  await drive(w.worker, w.store, w.clock, T0 + 5 * MIN);
  const failed = w.store.get(b.id)!;
  assert.equal(failed.state, "failed");
  assert.match(failed.reason, /^下载录制失败：没有该妙记的访问权限/);
  await w.cleanup();
});

Deno.test("worker: NAS full → failed with the space hint; retry after freeing space completes", async () => {
  let free = 10;
  const w = await world({}, {
    link: () => Promise.reject(Object.assign(new Error("EXDEV"), { code: "EXDEV" })),
    freeBytes: () => Promise.resolve(free),
  });
  const worker = w.worker;
  w.feishu.readyAt.set("m1", T0);
  const { job } = worker.enqueue(meeting("m1"));
  await drive(worker, w.store, w.clock, T0 + MIN);
  const failed = w.store.get(job.id)!;
  assert.equal(failed.state, "failed");
  assert.match(failed.reason, /NAS 空间不足/);
  free = 1e12;
  assert.equal(worker.retry(job.id), true);
  await worker.runOnce();
  const done = w.store.get(job.id)!;
  assert.equal(done.state, "done");
  assert.deepEqual(done.paths.map((p) => p.method), ["copy", "copy", "copy"]);
  assert.equal(w.feishu.downloads.length, 1, "the staged file was kept for the retry");
  await w.cleanup();
});

Deno.test("worker: a minute still transcribing (2091003) waits on the ladder instead of failing", async () => {
  const w = await world();
  w.feishu.readyAt.set("m1", T0);
  const media = w.feishu.minutes.mediaUrl;
  let refusals = 3;
  w.feishu.minutes.mediaUrl = (t, u) =>
    refusals-- > 0
      ? Promise.reject(new LarkError("minute not ready", { code: 2091003, hint: "妙记尚未就绪。" }))
      : media(t, u);
  const { job } = w.worker.enqueue(meeting("m1"));
  await w.clock.tick(10 * S);
  await w.worker.runOnce();
  const waiting = w.store.get(job.id)!;
  assert.equal(waiting.state, "downloading");
  assert.equal(waiting.attempts, 1);
  assert.equal(waiting.nextRunAt - w.clock.now(), 20 * S, "second ladder step");
  await drive(w.worker, w.store, w.clock, T0 + 10 * MIN);
  assert.equal(w.store.get(job.id)!.state, "done");
  assert.equal(w.clock.now() - T0, 10 * S + 20 * S + 30 * S + 60 * S);
  await w.cleanup();
});
