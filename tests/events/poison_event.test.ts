/**
 * Issue 7 §1: one event must never stop the queue. Each test here fails on the code before
 * the fix (NUL-cut ids wedged `claimNext`, lone surrogates collided and failed the whole
 * insert group, a crash-looping event was claimed forever, stored tokens were kept).
 */
import assert from "node:assert/strict";
import { type LarkEvent, parseEvent, SqliteEventStore } from "../../lib/events/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { meetingEndedEnvelope, VERIFICATION_TOKEN } from "./_fixtures.ts";

async function ev(id: string): Promise<LarkEvent> {
  const p = await parseEvent(meetingEndedEnvelope(id));
  assert.ok(p.type === "event");
  return p.event;
}

/** An event as a caller other than the webhook (or a future bug) might hand it over: any id. */
async function rawEvent(id: string, type = "vc.meeting.all_meeting_ended_v1"): Promise<LarkEvent> {
  const e = await ev("placeholder");
  return { ...e, eventId: id, eventType: type };
}

const HOSTILE_IDS = ["a\u0000b", "\u0000", "s\uD800", "s\uDC00x", '\u0001~"x"', "\u0001~", "é\u0000\uD83D"];

Deno.test("ids SQLite cannot round-trip are stored and claimed exactly; later events are not blocked", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    for (const id of HOSTILE_IDS) assert.equal(await store.insert(await rawEvent(id), "webhook"), true, id);
    assert.equal(await store.insert(await ev("good-1"), "webhook"), true);
    const seen: string[] = [];
    for (;;) {
      const next = await store.claimNext();
      if (!next) break;
      seen.push(next.event.eventId);
      await store.markDone(next.event.eventId);
    }
    assert.deepEqual(seen, [...HOSTILE_IDS, "good-1"]);
    assert.deepEqual(await store.counts(), {
      pending: 0,
      processing: 0,
      done: HOSTILE_IDS.length + 1,
      failed: 0,
    });
    for (const id of HOSTILE_IDS) assert.equal((await store.get(id))?.event.eventId, id);
  } finally {
    store.close();
  }
});

Deno.test("two ids that differ only after a NUL or in a lone surrogate stay two events", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    const ids = ["a\u0000b", "a\u0000c", "a", "s\uD800", "s\uD801", "s\uFFFD"];
    const results = await Promise.all(ids.map(async (id) => store.insert(await rawEvent(id), "webhook")));
    assert.deepEqual(results, ids.map(() => true));
    assert.equal((await store.counts()).pending, ids.length);
    assert.equal(
      await store.insert(await rawEvent("s\uD801"), "webhook"),
      false,
      "a replay is still a replay",
    );
  } finally {
    store.close();
  }
});

Deno.test("one event whose insert fails does not fail the others stored with it", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    const bad = await rawEvent("bad");
    // A payload JSON.stringify cannot serialise (BigInt) throws inside the group commit.
    (bad.envelope as Record<string, unknown>).n = 1n;
    const [a, b, c] = await Promise.allSettled([
      store.insert(await ev("ok-1"), "webhook"),
      store.insert(bad, "webhook"),
      store.insert(await ev("ok-2"), "webhook"),
    ]);
    assert.equal(a.status, "fulfilled");
    assert.equal(b.status, "rejected");
    assert.equal(c.status, "fulfilled");
    assert.equal((await store.counts()).pending, 2);
  } finally {
    store.close();
  }
});

Deno.test("an event claimed maxAttempts times without finishing is set aside as failed; the next one runs", async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const store = new SqliteEventStore(":memory:", { clock, maxAttempts: 3, leaseMs: 1000 });
  try {
    await store.insert(await ev("crashes-worker"), "webhook");
    await clock.tick(1);
    await store.insert(await ev("after"), "webhook");
    for (let i = 1; i <= 3; i++) {
      const c = await store.claimNext();
      assert.equal(c?.event.eventId, "crashes-worker");
      assert.equal(c?.attempts, i);
      // The worker dies: the claim is never finished; restart recovers it.
      await store.recoverProcessing();
    }
    const next = await store.claimNext();
    assert.equal(next?.event.eventId, "after");
    const poison = await store.get("crashes-worker");
    assert.equal(poison?.state, "failed");
    assert.match(poison?.lastError ?? "", /3 次/);
  } finally {
    store.close();
  }
});

Deno.test("a stored payload that cannot be parsed is set aside, not claimed forever", async () => {
  const dir = await Deno.makeTempDir({ prefix: "poison-" });
  try {
    const path = `${dir}/events.db`;
    const store = new SqliteEventStore(path);
    await store.insert(await ev("broken"), "webhook");
    await store.insert(await ev("fine"), "webhook");
    store.close();
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(path);
    db.prepare("UPDATE events SET payload = '{not json' WHERE event_id = 'broken'").run();
    db.close();
    const again = new SqliteEventStore(path);
    try {
      assert.equal((await again.claimNext())?.event.eventId, "fine");
      await assert.rejects(() => again.get("broken"), SyntaxError);
      assert.equal((await again.counts()).failed, 1);
      assert.deepEqual((await again.list()).map((e) => e.event.eventId), ["fine"]);
    } finally {
      again.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stored payloads keep no Verification Token", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    await store.insert(await ev("tok-1"), "webhook");
    const v1 = await parseEvent({
      uuid: "v1-uuid",
      token: VERIFICATION_TOKEN,
      ts: "1768788000.5",
      type: "event_callback",
      event: { type: "im.message.receive_v1" },
    });
    assert.ok(v1.type === "event");
    await store.insert(v1.event, "webhook");
    for (const id of ["tok-1", "v1-uuid"]) {
      const got = await store.get(id);
      assert.ok(got);
      assert.ok(!JSON.stringify(got).includes(VERIFICATION_TOKEN), `${id} keeps the token`);
    }
  } finally {
    store.close();
  }
});

Deno.test("parseEvent refuses ids and types with control characters, lone surrogates or absurd length", async () => {
  for (const id of ["a\u0000b", "a\nb", "s\uD800", "x".repeat(257)]) {
    await assert.rejects(() => parseEvent(meetingEndedEnvelope(id)), /event_id is not plain text/);
  }
  const env = meetingEndedEnvelope("ok");
  (env.header as Record<string, unknown>).event_type = "vc\u0000x";
  await assert.rejects(() => parseEvent(env), /event_type is not plain text/);
  assert.equal((await parseEvent(meetingEndedEnvelope("b2f3-中文-ok"))).type, "event");
});
