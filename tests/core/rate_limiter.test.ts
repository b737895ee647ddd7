import assert from "node:assert/strict";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import type { Clock } from "../../lib/time/clock.ts";

interface Grant {
  /** Index of the call, in call order. */
  i: number;
  /** Fake time at which the slot was granted. */
  at: number;
  /** What acquire() returned. */
  waited: number;
}

/** Start one acquire; `grants` receives it when it resolves. */
function call(
  limiter: RateLimiter,
  clock: Clock,
  names: string[],
  grants: Grant[],
  i = grants.length,
  signal?: AbortSignal,
): Promise<void> {
  return limiter.acquire(names, signal).then((waited) => {
    grants.push({ i, at: clock.now(), waited });
  });
}

/** Most grants in any half-open window `[t, t + windowMs)` of any alignment. */
function maxInWindow(times: number[], windowMs = 1000): number {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (j < t.length && t[j] < t[i] + windowMs) j++;
    max = Math.max(max, j - i);
  }
  return max;
}

Deno.test("maxInWindow helper counts half-open windows of any alignment", () => {
  assert.equal(maxInWindow([0, 100, 999, 1000]), 3);
  assert.equal(maxInWindow([0, 500, 1000, 1499]), 3);
  assert.equal(maxInWindow([]), 0);
});

Deno.test("one bucket: 100 concurrent acquires on 10/s never exceed 10 per second", async () => {
  const clock = new FakeClock(1_000_000);
  const limiter = new RateLimiter({ clock, buckets: { b: { perSecond: 10 } } });
  const grants: Grant[] = [];
  const all = Array.from({ length: 100 }, (_, i) => call(limiter, clock, ["b"], grants, i));
  await clock.runUntilIdle();
  await Promise.all(all);
  assert.equal(grants.length, 100);
  const times = grants.map((g) => g.at - 1_000_000);
  assert.equal(maxInWindow(times), 10);
  assert.equal(Math.max(...times), 9_900, "100 grants at 10/s take 9.9 s of fake time");
  // Evenly paced: one slot every 100 ms, no burst and no idle gap.
  assert.deepEqual(times, Array.from({ length: 100 }, (_, k) => k * 100));
  assert.deepEqual(grants.map((g) => g.i), Array.from({ length: 100 }, (_, k) => k), "FIFO");
  for (const g of grants) assert.equal(g.waited, g.at - 1_000_000, "acquire returns the wait");
  assert.deepEqual(limiter.stats("b"), { granted: 100, waitedMs: 495_000, pauses: 0 });
});

Deno.test("one bucket: arrivals spread over time never exceed the budget in any window", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ clock, buckets: { b: { perSecond: 10 } } });
  const grants: Grant[] = [];
  const all: Promise<void>[] = [];
  // Bursts of 7 every 350 ms (20/s offered against 10/s).
  for (let burst = 0; burst < 6; burst++) {
    for (let k = 0; k < 7; k++) all.push(call(limiter, clock, ["b"], grants));
    await clock.tick(350);
  }
  await clock.runUntilIdle();
  await Promise.all(all);
  assert.equal(grants.length, 42);
  assert.ok(maxInWindow(grants.map((g) => g.at)) <= 10);
  assert.equal(Math.max(...grants.map((g) => g.at)), 4_100, "saturated from the start: 42 grants in 4.1 s");
});

Deno.test("perMinute and the tighter of two rates", async () => {
  {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ clock, buckets: { m: { perMinute: 6 } } });
    const grants: Grant[] = [];
    const all = Array.from({ length: 13 }, () => call(limiter, clock, ["m"], grants));
    await clock.runUntilIdle();
    await Promise.all(all);
    const times = grants.map((g) => g.at);
    assert.deepEqual(times, Array.from({ length: 13 }, (_, k) => k * 10_000));
    assert.equal(maxInWindow(times, 60_000), 6);
  }
  {
    // 1000/min & 50/s (Feishu tier 4): the per-minute rate is the tighter one.
    const clock = new FakeClock();
    const limiter = new RateLimiter({ clock, buckets: { t4: { perSecond: 50, perMinute: 1000 } } });
    const grants: Grant[] = [];
    const all = Array.from({ length: 20 }, () => call(limiter, clock, ["t4"], grants));
    await clock.runUntilIdle();
    await Promise.all(all);
    const times = grants.map((g) => g.at);
    assert.ok(maxInWindow(times, 1000) <= 50);
    assert.equal(times[19], 19 * 60);
  }
});

Deno.test("non-integer intervals (3/s, 7/s) keep the budget", async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const limiter = new RateLimiter({ clock, buckets: { a: { perSecond: 3 }, b: { perSecond: 7 } } });
  const ga: Grant[] = [];
  const gb: Grant[] = [];
  const all: Promise<void>[] = [];
  for (let i = 0; i < 12; i++) {
    all.push(call(limiter, clock, ["a"], ga));
    all.push(call(limiter, clock, ["b"], gb));
    all.push(call(limiter, clock, ["b"], gb));
  }
  await clock.runUntilIdle();
  await Promise.all(all);
  assert.equal(ga.length, 12);
  assert.equal(gb.length, 24);
  assert.ok(maxInWindow(ga.map((g) => g.at)) <= 3, `a: ${maxInWindow(ga.map((g) => g.at))}`);
  assert.ok(maxInWindow(gb.map((g) => g.at)) <= 7, `b: ${maxInWindow(gb.map((g) => g.at))}`);
  const spanA = ga[11].at - ga[0].at;
  assert.ok(spanA >= 11_000 / 3 - 1 && spanA < 11_000 / 3 + 5, `a span ${spanA}`);
});

Deno.test("reserving many slots with a non-integer interval is fast", () => {
  const clock = new FakeClock(1_700_000_000_000);
  const limiter = new RateLimiter({ clock, buckets: { a: { perSecond: 3 }, g: { perSecond: 7 } } });
  // (How fast is a figure for bench/, not an assertion: a loaded machine would fail it.)
  const all = Array.from({ length: 1500 }, (_, i) => limiter.acquire(i % 3 ? ["a", "g"] : ["g"]));
  assert.equal(all.length, 1500);
  assert.ok(clock.pending > 0, "reservations beyond the first second wait on the clock");
  // The pending sleepers are left behind on the fake clock; nothing real is waiting.
});

Deno.test("two buckets (global 50/s + endpoint 20/s): each bucket's rate holds", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({
    clock,
    buckets: { global: { perSecond: 50 }, e: { perSecond: 20 } },
  });
  const onE: Grant[] = [];
  const onGlobalOnly: Grant[] = [];
  const all: Promise<void>[] = [];
  for (let i = 0; i < 100; i++) {
    if (i % 5 === 0 || i % 5 === 2) all.push(call(limiter, clock, ["global", "e"], onE));
    else all.push(call(limiter, clock, ["global"], onGlobalOnly));
  }
  await clock.runUntilIdle();
  await Promise.all(all);
  assert.equal(onE.length, 40);
  assert.equal(onGlobalOnly.length, 60);
  const eTimes = onE.map((g) => g.at);
  const globalTimes = [...eTimes, ...onGlobalOnly.map((g) => g.at)];
  assert.ok(maxInWindow(globalTimes) <= 50, `global ${maxInWindow(globalTimes)}`);
  assert.ok(maxInWindow(eTimes) <= 20, `e ${maxInWindow(eTimes)}`);
  // Little capacity is lost: 100 grants at 50/s need at least 1.98 s, 40 at 20/s at least
  // 1.95 s. Strict FIFO costs a few global slots (an earlier global-only caller may hold the
  // slot an endpoint caller wanted), so allow ~10%.
  assert.ok(Math.max(...eTimes) >= 1_950 && Math.max(...eTimes) <= 2_200, `e done at ${Math.max(...eTimes)}`);
  assert.ok(Math.max(...globalTimes) <= 2_200, `all done at ${Math.max(...globalTimes)}`);
  const s = limiter.allStats();
  assert.equal(s.global.granted, 100);
  assert.equal(s.e.granted, 40);
});

Deno.test("FIFO: callers on the same buckets are granted in call order", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({
    clock,
    buckets: { global: { perSecond: 50 }, a: { perSecond: 10 }, b: { perSecond: 20 } },
  });
  const a: Grant[] = [];
  const b: Grant[] = [];
  const all: Promise<void>[] = [];
  for (let i = 0; i < 20; i++) {
    // Same bucket set, names in either order.
    all.push(call(limiter, clock, i % 2 ? ["global", "a"] : ["a", "global"], a, i));
    all.push(call(limiter, clock, ["global", "b"], b, i));
    if (i % 7 === 6) await clock.tick(130);
  }
  await clock.runUntilIdle();
  await Promise.all(all);
  assert.deepEqual(a.map((g) => g.i), Array.from({ length: 20 }, (_, k) => k));
  assert.deepEqual(b.map((g) => g.i), Array.from({ length: 20 }, (_, k) => k));
  for (const list of [a, b]) {
    for (let k = 1; k < list.length; k++) assert.ok(list[k].at > list[k - 1].at, "strictly later");
  }
});

Deno.test("no waste: a caller needing only bucket B is not delayed by a caller blocked on A", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ clock, buckets: { A: { perSecond: 1 }, B: { perSecond: 10 } } });
  const grants: Grant[] = [];
  const all = [
    call(limiter, clock, ["A"], grants, 0), // t = 0
    call(limiter, clock, ["A", "B"], grants, 1), // blocked on A until 1000
    call(limiter, clock, ["B"], grants, 2), // B is free now
    call(limiter, clock, ["B"], grants, 3),
  ];
  await clock.runUntilIdle();
  await Promise.all(all);
  const at = Object.fromEntries(grants.map((g) => [g.i, g.at]));
  assert.deepEqual(at, { 0: 0, 1: 1000, 2: 0, 3: 100 });
});

Deno.test("no waste with a shared global bucket", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({
    clock,
    buckets: { global: { perSecond: 50 }, a: { perSecond: 1 }, b: { perSecond: 20 } },
  });
  const xs: Grant[] = [];
  const ys: Grant[] = [];
  const all = [
    call(limiter, clock, ["global", "a"], xs),
    call(limiter, clock, ["global", "a"], xs), // waits for a until 1000
    ...Array.from({ length: 5 }, () => call(limiter, clock, ["global", "b"], ys)),
  ];
  await clock.runUntilIdle();
  await Promise.all(all);
  assert.deepEqual(xs.map((g) => g.at), [0, 1000]);
  assert.deepEqual(ys.map((g) => g.at), [20, 70, 120, 170, 220]);
});

Deno.test("pause() delays grants until the reset time and counts pauses", async () => {
  const clock = new FakeClock(5_000);
  const limiter = new RateLimiter({ clock, buckets: { a: { perSecond: 10 }, other: { perSecond: 10 } } });
  limiter.pause("a", 7_000);
  assert.equal(limiter.stats("a")!.pauses, 1);
  limiter.pause("a", 6_000); // earlier than the current pause: ignored
  assert.equal(limiter.stats("a")!.pauses, 1);
  limiter.pause("missing", 9_000); // unknown bucket: no-op
  const grants: Grant[] = [];
  const all = [
    call(limiter, clock, ["a"], grants, 0),
    call(limiter, clock, ["a"], grants, 1),
    call(limiter, clock, ["other"], grants, 2),
  ];
  await clock.runUntilIdle();
  await Promise.all(all);
  const at = Object.fromEntries(grants.map((g) => [g.i, g.at]));
  assert.deepEqual(at, { 0: 7_000, 1: 7_100, 2: 5_000 });
  limiter.pause("a", 8_000);
  assert.equal(limiter.stats("a")!.pauses, 2);
  assert.equal(limiter.stats("other")!.pauses, 0);
});

Deno.test("pause() while callers wait: they move behind the reset and keep their order", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ clock, buckets: { global: { perSecond: 50 }, a: { perSecond: 10 } } });
  const grants: Grant[] = [];
  const all = Array.from({ length: 5 }, (_, i) => call(limiter, clock, ["global", "a"], grants, i));
  await clock.tick(50); // #0 granted at 0; #1..#4 hold slots 100..400
  assert.deepEqual(grants.map((g) => g.i), [0]);
  limiter.pause("a", 1000); // Feishu said: wait until 1000
  await clock.tick(100); // t = 150: a newcomer arrives during the pause
  all.push(call(limiter, clock, ["global", "a"], grants, 5));
  all.push(call(limiter, clock, ["global"], grants, 6)); // does not use the paused bucket
  await clock.runUntilIdle();
  await Promise.all(all);
  assert.deepEqual(grants.map((g) => [g.i, g.at]), [
    [0, 0],
    [6, 150],
    [1, 1000],
    [2, 1100],
    [3, 1200],
    [4, 1300],
    [5, 1400],
  ]);
  for (const g of grants) if (g.i >= 1 && g.i <= 5) assert.ok(g.at >= 1000, "no grant during the pause");
});

Deno.test("abort while waiting rejects at once and releases the reservation", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ clock, buckets: { a: { perSecond: 1 }, g: { perSecond: 100 } } });
  const grants: Grant[] = [];
  const first = call(limiter, clock, ["g", "a"], grants, 0); // granted at 0
  const ac = new AbortController();
  const aborted = call(limiter, clock, ["g", "a"], grants, 1, ac.signal).then(() => "granted", (e) => e);
  const behind = call(limiter, clock, ["g", "a"], grants, 2); // queued behind #1 at 2000
  await clock.tick(100);
  const reason = new Error("cancelled by user");
  ac.abort(reason);
  assert.equal(await aborted, reason);
  await clock.tick(100); // t = 200: a newcomer
  const newcomer = call(limiter, clock, ["g", "a"], grants, 3);
  await clock.runUntilIdle();
  await Promise.all([first, behind, newcomer]);
  // #1's slot at 1000 was given back: #2 moves up to it, the newcomer follows.
  assert.deepEqual(grants.map((g) => [g.i, g.at]), [[0, 0], [2, 1000], [3, 2000]]);
  assert.equal(limiter.stats("a")!.granted, 3);
  assert.equal(limiter.stats("g")!.granted, 3);
  assert.equal(clock.pending, 0);
});

Deno.test("abort: an aborted signal rejects before reserving", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ clock, buckets: { a: { perSecond: 1 } } });
  const ac = new AbortController();
  ac.abort(new Error("already"));
  await assert.rejects(limiter.acquire(["a"], ac.signal), /already/);
  // The slot at 0 is still free.
  assert.equal(await limiter.acquire(["a"]), 0);
  assert.equal(limiter.stats("a")!.granted, 1);
});

Deno.test("stats: granted and waitedMs per bucket; unknown names; unlimited buckets", async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ clock, buckets: { global: { perSecond: 10 }, e: { perSecond: 5 } } });
  limiter.define("free", {});
  assert.ok(limiter.has("free") && limiter.has("global") && !limiter.has("nope"));
  assert.equal(limiter.stats("nope"), undefined);
  const grants: Grant[] = [];
  const all = [
    call(limiter, clock, ["global", "e"], grants), // 0
    call(limiter, clock, ["global", "e"], grants), // 200
    call(limiter, clock, ["global"], grants), // 100
    call(limiter, clock, ["nope"], grants), // unknown names are ignored: 0
    call(limiter, clock, ["free"], grants), // unlimited: 0
    call(limiter, clock, ["free"], grants), // unlimited: 0
  ];
  await clock.runUntilIdle();
  await Promise.all(all);
  assert.deepEqual(grants.map((g) => g.waited).sort((x, y) => x - y), [0, 0, 0, 0, 100, 200]);
  assert.deepEqual(limiter.allStats(), {
    global: { granted: 3, waitedMs: 300, pauses: 0 },
    e: { granted: 2, waitedMs: 200, pauses: 0 },
    free: { granted: 2, waitedMs: 0, pauses: 0 },
  });
  // Stats are copies.
  limiter.stats("global")!.granted = 99;
  assert.equal(limiter.stats("global")!.granted, 3);
  // Redefining keeps the counters and applies the new rate.
  limiter.define("e", { perSecond: 1 });
  assert.equal(limiter.stats("e")!.granted, 2);
  const t0 = clock.now();
  const later: Grant[] = [];
  const p = [call(limiter, clock, ["e"], later), call(limiter, clock, ["e"], later)];
  await clock.runUntilIdle();
  await Promise.all(p);
  assert.equal(later[1].at - later[0].at, 1000);
  assert.ok(later[0].at >= t0);
});

/**
 * A clock whose timers fire late, like real timers under load: sleep number
 * `n` (0-based) oversleeps by `late(n)` ms.
 */
class LateClock implements Clock {
  #n = 0;
  constructor(readonly fake: FakeClock, readonly late: (n: number) => number) {}
  now(): number {
    return this.fake.now();
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.fake.sleep(ms + this.late(this.#n++), signal);
  }
}

Deno.test("late timers (real clock) cannot squeeze an extra grant into a window", async () => {
  const fake = new FakeClock();
  const clock = new LateClock(fake, (n) => (n === 0 ? 30 : 0)); // the slot at 100 fires at 130
  const limiter = new RateLimiter({ clock, buckets: { b: { perSecond: 10 } } });
  const grants: Grant[] = [];
  const all = Array.from({ length: 15 }, () => call(limiter, fake, ["b"], grants));
  await fake.runUntilIdle();
  await Promise.all(all);
  const times = grants.map((g) => g.at);
  assert.equal(times[1], 130);
  assert.equal(maxInWindow(times), 10, `grants: ${times.join(",")}`);
  assert.equal(times[11], 1130, "the 11th grant after the late one waits for the window");
  assert.equal(times[12], 1200, "and the schedule is back on its grid");
});
