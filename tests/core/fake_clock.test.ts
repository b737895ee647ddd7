import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/mod.ts";
import { delay, systemClock } from "../../lib/time/mod.ts";

Deno.test("FakeClock: now() starts where told and moves only with tick", async () => {
  const clock = new FakeClock(1_700_000_000_000);
  assert.equal(clock.now(), 1_700_000_000_000);
  await clock.tick(0);
  assert.equal(clock.now(), 1_700_000_000_000);
  await clock.tick(250);
  assert.equal(clock.now(), 1_700_000_000_250);
  assert.equal(new FakeClock().now(), 0);
});

Deno.test("FakeClock: sleepers wake in deadline order, FIFO for equal deadlines", async () => {
  const clock = new FakeClock();
  const woke: [string, number][] = [];
  const sleep = (name: string, ms: number) => clock.sleep(ms).then(() => woke.push([name, clock.now()]));
  const all = [
    sleep("c", 300),
    sleep("a", 100),
    sleep("b1", 200),
    sleep("b2", 200),
    sleep("z", 0),
    sleep("b3", 200),
  ];
  assert.equal(clock.pending, 6);
  await clock.tick(150);
  assert.deepEqual(woke, [["z", 0], ["a", 100]]);
  assert.equal(clock.now(), 150);
  await clock.tick(150);
  await Promise.all(all);
  assert.deepEqual(woke, [["z", 0], ["a", 100], ["b1", 200], ["b2", 200], ["b3", 200], ["c", 300]]);
  assert.equal(clock.pending, 0);
});

Deno.test("FakeClock: each sleeper sees now() equal to its own deadline", async () => {
  const clock = new FakeClock(10);
  const seen: number[] = [];
  for (const ms of [30, 10, 20]) clock.sleep(ms).then(() => seen.push(clock.now()));
  await clock.tick(1000);
  assert.deepEqual(seen, [20, 30, 40]);
  assert.equal(clock.now(), 1010);
});

Deno.test("FakeClock: sleeps started by woken code inside the span also wake in order", async () => {
  const clock = new FakeClock();
  const log: string[] = [];
  const chain = (async () => {
    await clock.sleep(100);
    log.push(`a@${clock.now()}`);
    await clock.sleep(100);
    log.push(`b@${clock.now()}`);
    await clock.sleep(500);
    log.push(`c@${clock.now()}`);
  })();
  clock.sleep(250).then(() => log.push(`x@${clock.now()}`));
  await clock.tick(300);
  assert.deepEqual(log, ["a@100", "b@200", "x@250"]);
  await clock.tick(400);
  await chain;
  assert.deepEqual(log, ["a@100", "b@200", "x@250", "c@700"]);
});

Deno.test("FakeClock: runUntilIdle advances to the last deadline and reports the time passed", async () => {
  const clock = new FakeClock(1000);
  const done: number[] = [];
  clock.sleep(5000).then(() => done.push(clock.now()));
  (async () => {
    await clock.sleep(100);
    await clock.sleep(100);
    done.push(clock.now());
  })();
  assert.equal(await clock.runUntilIdle(), 5000);
  assert.deepEqual(done, [1200, 6000]);
  assert.equal(await clock.runUntilIdle(), 0, "nothing left");
  // maxMs bounds the run.
  clock.sleep(10_000);
  clock.sleep(100).then(() => done.push(clock.now()));
  assert.equal(await clock.runUntilIdle(1000), 100);
  assert.equal(clock.pending, 1);
});

Deno.test("FakeClock: abort rejects with the signal's reason and removes the sleeper", async () => {
  const clock = new FakeClock();
  const ac = new AbortController();
  const reason = new Error("stop");
  const aborted = clock.sleep(1000, ac.signal).then(() => "woke", (e) => e);
  const other = clock.sleep(1000).then(() => "woke");
  assert.equal(clock.pending, 2);
  await clock.tick(500);
  ac.abort(reason);
  assert.equal(await aborted, reason);
  assert.equal(clock.pending, 1);
  await clock.tick(500);
  assert.equal(await other, "woke");
  assert.equal(clock.now(), 1000);
});

Deno.test("FakeClock: an already aborted signal rejects at once; abort after waking is harmless", async () => {
  const clock = new FakeClock();
  const ac = new AbortController();
  ac.abort(new Error("early"));
  await assert.rejects(clock.sleep(10, ac.signal), /early/);
  assert.equal(clock.pending, 0);
  const ac2 = new AbortController();
  const p = clock.sleep(10, ac2.signal);
  await clock.tick(10);
  await p;
  ac2.abort(new Error("late")); // must not throw or reject anything
  assert.equal(clock.pending, 0);
  // A default abort reason is a DOMException AbortError.
  const ac3 = new AbortController();
  const p3 = clock.sleep(10, ac3.signal);
  ac3.abort();
  await assert.rejects(p3, (e: unknown) => e instanceof DOMException && e.name === "AbortError");
});

Deno.test("FakeClock: negative and NaN delays mean now, and never corrupt the time", async () => {
  const clock = new FakeClock(500);
  const woke: number[] = [];
  clock.sleep(-100).then(() => woke.push(clock.now()));
  clock.sleep(Number.NaN).then(() => woke.push(clock.now()));
  clock.sleep(10).then(() => woke.push(clock.now()));
  await clock.tick(0);
  assert.deepEqual(woke, [500, 500]);
  await clock.tick(20);
  assert.deepEqual(woke, [500, 500, 510]);
  assert.equal(clock.now(), 520);
});

Deno.test("systemClock / delay: real sleeps resolve and abort", async () => {
  const t0 = systemClock.now();
  await systemClock.sleep(20);
  assert.ok(systemClock.now() - t0 >= 15);
  const ac = new AbortController();
  const p = delay(10_000, ac.signal);
  setTimeout(() => ac.abort(new Error("cut")), 10);
  await assert.rejects(p, /cut/);
  const pre = new AbortController();
  pre.abort(new Error("pre"));
  await assert.rejects(delay(10, pre.signal), /pre/);
  await delay(-5); // negative is immediate
});
