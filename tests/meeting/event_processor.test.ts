/**
 * Issue 7 §1: an event that keeps failing is set aside after `maxAttempts` tries with its
 * reason and never blocks the next one; a processor that keeps erroring or is stuck on one
 * event reports it (health not ok, with the reason). Both fail on the code before the fix
 * (10 tries by default, no health at all).
 */
import assert from "node:assert/strict";
import { type LarkEvent, parseEvent, SqliteEventStore } from "../../lib/events/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import type { EnqueueJobInput } from "../../pipelines/meeting/job.ts";
import { EventProcessor } from "../../pipelines/meeting/service/event_processor.ts";
import { meetingEndedEnvelope } from "../events/_fixtures.ts";

const T0 = 1_768_788_000_000;

async function ev(id: string, meetingId = `m-${id}`): Promise<LarkEvent> {
  const env = meetingEndedEnvelope(id);
  ((env.event as Record<string, unknown>).meeting as Record<string, unknown>).id = meetingId;
  const p = await parseEvent(env);
  assert.ok(p.type === "event");
  return p.event;
}

function fakeWorker(failFor: Set<string>) {
  const enqueued: EnqueueJobInput[] = [];
  return {
    enqueued,
    enqueue(input: EnqueueJobInput) {
      if (failFor.has(input.meetingId)) throw new Error(`disk hiccup for ${input.meetingId}`);
      enqueued.push(input);
      return { created: true, job: { id: enqueued.length } } as ReturnType<
        import("../../pipelines/meeting/worker.ts").MeetingWorker["enqueue"]
      >;
    },
  };
}

Deno.test("an event failing every time is set aside after 5 tries with its reason; the next one is processed", async () => {
  const clock = new FakeClock(T0);
  const events = new SqliteEventStore(":memory:", { clock });
  const worker = fakeWorker(new Set(["m-poison"]));
  const processor = new EventProcessor({ events, worker, clock, retryDelayMs: 1000 });
  try {
    await events.insert(await ev("poison"), "webhook");
    await clock.tick(1);
    await events.insert(await ev("good"), "webhook");
    // Drive: process what is due, then let the retry delay pass.
    for (let round = 0; round < 20; round++) {
      while (await processor.processNext()) { /* drain */ }
      await clock.tick(1000);
    }
    const poison = await events.get("poison");
    assert.equal(poison?.state, "failed");
    assert.equal(poison?.attempts, 5, "default maxAttempts is 5");
    assert.match(poison?.lastError ?? "", /5 次.*disk hiccup for m-poison/);
    assert.equal((await events.get("good"))?.state, "done");
    assert.deepEqual(worker.enqueued.map((i) => i.meetingId), ["m-good"]);
    assert.equal(processor.stats.failed, 1);
    assert.equal(processor.health().ok, true, "one failed event is not a sick processor");
  } finally {
    events.close();
  }
});

Deno.test("health: loop errors in a row make the processor not ok, with the reason; a good round heals it", async () => {
  const clock = new FakeClock(T0);
  let broken = true;
  const events = {
    claimNext: () =>
      broken ? Promise.reject(new Error("database disk image is malformed")) : Promise.resolve(undefined),
    markDone: () => Promise.resolve(),
    markFailed: () => Promise.resolve(),
    release: () => Promise.resolve(),
  };
  const processor = new EventProcessor({ events, worker: fakeWorker(new Set()), clock, pollIntervalMs: 100 });
  const stop = new AbortController();
  const loop = processor.run(stop.signal);
  try {
    for (let i = 0; i < 3; i++) await clock.tick(100);
    const h = processor.health();
    assert.equal(h.ok, false);
    assert.ok(h.consecutiveErrors >= 3);
    assert.match(h.reason ?? "", /连续出错.*malformed/);
    broken = false;
    await clock.tick(100);
    await clock.tick(100);
    assert.equal(processor.health().ok, true);
  } finally {
    stop.abort();
    await clock.tick(100);
    await loop;
  }
});

Deno.test("health: one event processing for longer than stuckAfterMs is reported as stuck", async () => {
  const clock = new FakeClock(T0);
  const events = new SqliteEventStore(":memory:", { clock });
  let release!: () => void;
  const hang = new Promise<undefined>((r) => release = () => r(undefined));
  const processor = new EventProcessor({
    events,
    worker: fakeWorker(new Set()),
    clock,
    stuckAfterMs: 60_000,
    resolveUserId: () => hang,
  });
  try {
    const e = await ev("slow");
    const noUser = JSON.parse(JSON.stringify(e.envelope));
    delete noUser.event.meeting.owner.id.user_id;
    delete noUser.event.meeting.host_user.id.user_id;
    const parsed = await parseEvent(noUser);
    assert.ok(parsed.type === "event");
    await events.insert(parsed.event, "webhook");
    const running = processor.processNext();
    await clock.tick(30_000);
    assert.equal(processor.health().ok, true);
    await clock.tick(31_000);
    const h = processor.health();
    assert.equal(h.ok, false);
    assert.match(h.reason ?? "", /卡住.*slow/);
    assert.equal(h.busy?.eventId, "slow");
    release();
    await running;
    assert.equal(processor.health().ok, true);
  } finally {
    events.close();
  }
});
