import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { Ladder } from "../../pipelines/meeting/ladder.ts";

const S = 1000;
const MIN = 60 * S;

/** Drive the ladder the way the worker does: sleep, poll (never ready), ask again. */
async function simulate(ladder: Ladder): Promise<{ polls: number[]; gaveUpAt: number }> {
  const clock = new FakeClock(1_000_000);
  const start = clock.now();
  const polls: number[] = [];
  const run = (async () => {
    for (;;) {
      const d = ladder.next(polls.length, clock.now() - start);
      if (d.action === "give_up") return clock.now() - start;
      await clock.sleep(d.delayMs);
      polls.push(clock.now() - start);
    }
  })();
  await clock.runUntilIdle();
  return { polls, gaveUpAt: await run };
}

Deno.test("ladder: default schedule polls at 10 s, 30 s, 1, 2, 4, 7 min, then every 5 min until 30 min", async () => {
  const { polls, gaveUpAt } = await simulate(new Ladder());
  assert.deepEqual(polls, [
    10 * S,
    30 * S,
    1 * MIN,
    2 * MIN,
    4 * MIN,
    7 * MIN,
    12 * MIN,
    17 * MIN,
    22 * MIN,
    27 * MIN,
    30 * MIN,
  ]);
  assert.equal(gaveUpAt, 30 * MIN);
  assert.deepEqual(new Ladder().pollTimes(), polls);
});

Deno.test("ladder: delays are the steps, then the last repeated; the total caps the final wait", () => {
  const l = new Ladder({ stepsMs: [1 * S, 2 * S], repeatMs: 5 * S, totalMs: 13 * S });
  assert.equal(l.delay(0), 1 * S);
  assert.equal(l.delay(1), 2 * S);
  assert.equal(l.delay(2), 5 * S);
  assert.equal(l.delay(9), 5 * S);
  // 1 + 2 + 5 = 8 s elapsed after three polls; the next 5 s wait ends exactly on the 13 s total.
  assert.deepEqual(l.next(3, 8 * S), { action: "wait", delayMs: 5 * S });
  // At 10 s (a late poll) only 3 s are left.
  assert.deepEqual(l.next(3, 10 * S), { action: "wait", delayMs: 3 * S });
  assert.deepEqual(l.next(4, 13 * S), { action: "give_up", elapsedMs: 13 * S });
  assert.deepEqual(l.pollTimes(), [1 * S, 3 * S, 8 * S, 13 * S]);
  const sum = l.pollTimes().at(-1);
  assert.equal(sum, l.totalMs);
});

Deno.test("ladder: configurable, and a total shorter than the first step gives one capped poll", async () => {
  const { polls, gaveUpAt } = await simulate(
    new Ladder({ stepsMs: [10 * S], repeatMs: 10 * S, totalMs: 4 * S }),
  );
  assert.deepEqual(polls, [4 * S]);
  assert.equal(gaveUpAt, 4 * S);
  assert.throws(() => new Ladder({ repeatMs: 0 }), RangeError);
  assert.throws(() => new Ladder({ stepsMs: [5, -1] }), RangeError);
});
