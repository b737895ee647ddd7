import assert from "node:assert/strict";
import { type LarkEvent, parseEvent, SqliteEventStore } from "../../lib/events/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { meetingEndedEnvelope } from "./_fixtures.ts";

async function ev(id: string, type?: string): Promise<LarkEvent> {
  const env = meetingEndedEnvelope(id);
  if (type) (env.header as Record<string, unknown>).event_type = type;
  const p = await parseEvent(env);
  assert.ok(p.type === "event");
  return p.event;
}

async function withDbFile(fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "events-" });
  try {
    await fn(`${dir}/events.db`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("insert is insert-if-new; replays are counted, not stored twice", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    assert.equal(await store.insert(await ev("a"), "webhook"), true);
    assert.equal(await store.insert(await ev("a"), "long_connection"), false);
    assert.equal(await store.insert(await ev("b"), "webhook"), true);
    const a = await store.get("a");
    assert.equal(a?.deliveries, 2);
    assert.equal(a?.source, "webhook");
    assert.equal(a?.state, "pending");
    assert.equal(a?.event.eventType, "vc.meeting.all_meeting_ended_v1");
    assert.equal((a?.event.event.meeting as { id: string }).id, "6911188411932033028");
    assert.deepEqual(await store.counts(), { pending: 2, processing: 0, done: 0, failed: 0 });
  } finally {
    store.close();
  }
});

Deno.test("concurrent inserts are group-committed and each id is new exactly once", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    const events = await Promise.all(Array.from({ length: 300 }, (_, i) => ev(`e${i % 100}`)));
    const results = await Promise.all(events.map((e) => store.insert(e, "webhook")));
    assert.equal(results.filter(Boolean).length, 100);
    assert.equal((await store.counts()).pending, 100);
    assert.equal((await store.get("e7"))?.deliveries, 3);
  } finally {
    store.close();
  }
});

Deno.test("events and de-duplication survive a restart", async () => {
  await withDbFile(async (path) => {
    const first = new SqliteEventStore(path);
    assert.equal(await first.insert(await ev("persist-1"), "webhook"), true);
    const claimed = await first.claimNext();
    assert.equal(claimed?.event.eventId, "persist-1");
    await first.markDone("persist-1");
    assert.equal(await first.insert(await ev("persist-2"), "webhook"), true);
    first.close();

    const second = new SqliteEventStore(path);
    try {
      assert.equal(
        await second.insert(await ev("persist-1"), "webhook"),
        false,
        "done event is still a replay",
      );
      assert.equal(await second.insert(await ev("persist-2"), "webhook"), false);
      assert.equal((await second.claimNext())?.event.eventId, "persist-2");
      assert.equal(await second.claimNext(), undefined);
    } finally {
      second.close();
    }
  });
});

Deno.test("claimNext: oldest first, type filter, lease expiry, recoverProcessing", async () => {
  const clock = new FakeClock(1_000_000);
  const store = new SqliteEventStore(":memory:", { clock, leaseMs: 60_000 });
  try {
    await store.insert(await ev("m1"), "webhook");
    await clock.tick(1);
    await store.insert(await ev("x1", "im.message.receive_v1"), "webhook");
    await clock.tick(1);
    await store.insert(await ev("m2"), "webhook");
    const only = { types: ["vc.meeting.all_meeting_ended_v1"] };
    const c1 = await store.claimNext(only);
    assert.equal(c1?.event.eventId, "m1");
    assert.equal(c1?.state, "processing");
    assert.equal(c1?.attempts, 1);
    assert.equal((await store.claimNext(only))?.event.eventId, "m2");
    assert.equal(await store.claimNext(only), undefined, "both claimed, leases running");
    await clock.tick(60_000);
    const again = await store.claimNext(only);
    assert.equal(again?.event.eventId, "m1", "lease ran out: claimable again");
    assert.equal(again?.attempts, 2);
    assert.equal(await store.recoverProcessing(), 2);
    assert.equal((await store.get("m2"))?.state, "pending");
  } finally {
    store.close();
  }
});

Deno.test("markFailed with retryAtMs delays the event; without it the failure is final", async () => {
  const clock = new FakeClock(5_000);
  const store = new SqliteEventStore(":memory:", { clock });
  try {
    await store.insert(await ev("r1"), "webhook");
    await store.insert(await ev("r2"), "webhook");
    await store.claimNext();
    await store.markFailed("r1", "recording not ready", { retryAtMs: 15_000 });
    const r2 = await store.claimNext();
    assert.equal(r2?.event.eventId, "r2");
    await store.markFailed("r2", "permission denied");
    assert.equal(await store.claimNext(), undefined);
    await clock.tick(10_000);
    const r1 = await store.claimNext();
    assert.equal(r1?.event.eventId, "r1");
    assert.equal(r1?.lastError, "recording not ready");
    assert.equal((await store.get("r2"))?.state, "failed");
    assert.deepEqual((await store.list({ state: "failed" })).map((s) => s.event.eventId), ["r2"]);
  } finally {
    store.close();
  }
});

Deno.test("two store handles on one file never claim the same event", async () => {
  await withDbFile(async (path) => {
    const a = new SqliteEventStore(path);
    const b = new SqliteEventStore(path);
    try {
      for (let i = 0; i < 50; i++) await a.insert(await ev(`c${i}`), "webhook");
      const seen = new Set<string>();
      for (let i = 0; i < 50; i++) {
        const got = await (i % 2 ? a : b).claimNext();
        assert.ok(got);
        assert.ok(!seen.has(got.event.eventId), `claimed twice: ${got.event.eventId}`);
        seen.add(got.event.eventId);
      }
      assert.equal(await a.claimNext(), undefined);
    } finally {
      a.close();
      b.close();
    }
  });
});

Deno.test("prune deletes old finished events only", async () => {
  const clock = new FakeClock(0);
  const store = new SqliteEventStore(":memory:", { clock });
  try {
    await store.insert(await ev("old"), "webhook");
    await store.insert(await ev("open"), "webhook");
    await store.claimNext();
    await store.markDone("old");
    await clock.tick(8 * 86_400_000);
    assert.equal(await store.prune(7 * 86_400_000), 1);
    assert.equal(await store.get("old"), undefined);
    assert.equal((await store.get("open"))?.state, "pending");
  } finally {
    store.close();
  }
});
