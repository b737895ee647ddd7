/**
 * Rate-limiter benchmark on the REAL clock.
 *
 * Three buckets (global 50/s, a 20/s, b 20/s); 600 acquires split evenly over
 * `global+a` and `global+b`, run by 8 concurrent workers. Prints per bucket the
 * achieved rate against its budget and the largest number of grants in any
 * sliding 1 s window, which must not exceed the budget.
 *
 * Two timings are reported for each grant:
 * - grant: the limiter's own clock reading when it granted the slot (what the
 *   limiter promises about); exits 1 if any window exceeds the budget;
 * - resumed: when the caller's `await` resumed (adds event-loop latency; shown
 *   for information).
 *
 * Run: `deno run -A bench/limiter_bench.ts` (about 15 s).
 *
 * @module
 */
import { RateLimiter } from "../lib/rate_limit/mod.ts";
import { type Clock, systemClock } from "../lib/time/mod.ts";

const BUDGET: Record<string, number> = { global: 50, a: 20, b: 20 };
const TOTAL = 600;
const CONCURRENCY = 8;

// The system clock, plus a way to learn the exact `now()` the limiter read when
// a call started: acquire() reads the clock first, synchronously, so the first
// reading after `capture = true` is its start time, and start + the returned
// wait is the grant time on the limiter's own clock.
let capture = false;
let captured = 0;
const clock: Clock = {
  now() {
    const t = systemClock.now();
    if (capture) {
      captured = t;
      capture = false;
    }
    return t;
  },
  sleep: (ms, signal) => systemClock.sleep(ms, signal),
};

function makeLimiter(scale: number): RateLimiter {
  return new RateLimiter({
    clock,
    buckets: Object.fromEntries(
      Object.entries(BUDGET).map(([name, perSecond]) => [name, { perSecond: perSecond * scale }]),
    ),
  });
}

interface Run {
  grants: Record<string, number[]>;
  resumed: Record<string, number[]>;
  /** Largest delay between a grant and the caller resuming, ms. */
  lag: number;
}

/** `total` acquires over global+a / global+b by `concurrency` workers. */
async function run(limiter: RateLimiter, total: number, concurrency: number): Promise<Run> {
  const out: Run = { grants: { global: [], a: [], b: [] }, resumed: { global: [], a: [], b: [] }, lag: 0 };
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const bucket = i % 2 === 0 ? "a" : "b";
      capture = true;
      const pending = limiter.acquire(["global", bucket]);
      const start = captured;
      const waited = await pending;
      const back = Date.now();
      const grant = start + waited;
      out.lag = Math.max(out.lag, back - grant);
      for (const name of ["global", bucket]) {
        out.grants[name].push(grant);
        out.resumed[name].push(back);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** Most timestamps in any half-open window [t, t + 1000) of any alignment. */
function maxInWindow(times: number[], windowMs = 1000): number {
  const t = [...times].sort((x, y) => x - y);
  let max = 0;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (j < t.length && t[j] < t[i] + windowMs) j++;
    max = Math.max(max, j - i);
  }
  return max;
}

function rate(times: number[]): number {
  const t = [...times].sort((x, y) => x - y);
  const span = t[t.length - 1] - t[0];
  return span > 0 ? ((t.length - 1) * 1000) / span : Infinity;
}

// Warm-up on a throwaway, 20x faster limiter so start-up compilation does not land in the
// measured run (it delays the first callers by several ms).
await run(makeLimiter(20), 200, CONCURRENCY);

const limiter = makeLimiter(1);
const t0 = performance.now();
const { grants, resumed, lag } = await run(limiter, TOTAL, CONCURRENCY);
const elapsed = performance.now() - t0;

console.log(
  `limiter bench: ${TOTAL} acquires, concurrency ${CONCURRENCY}, real clock, ${
    (elapsed / 1000).toFixed(2)
  } s`,
);
console.log("");
console.log(
  "bucket  budget/s  grants  achieved/s  max in 1 s (grant)  max in 1 s (resumed)  waited ms (total)",
);
let failed = false;
const stats = limiter.allStats();
for (const name of Object.keys(BUDGET)) {
  const budget = BUDGET[name];
  const byGrant = maxInWindow(grants[name]);
  const byResume = maxInWindow(resumed[name]);
  if (byGrant > budget) failed = true;
  console.log(
    [
      name.padEnd(6),
      String(budget).padStart(8),
      String(grants[name].length).padStart(7),
      rate(grants[name]).toFixed(2).padStart(11),
      `${byGrant}${byGrant > budget ? " OVER" : " ok"}`.padStart(19),
      `${byResume}${byResume > budget ? " (+latency)" : ""}`.padStart(21),
      String(stats[name].waitedMs).padStart(18),
    ].join("  "),
  );
}
console.log("");
console.log(`largest delay between a grant and the caller resuming: ${lag} ms`);
console.log(
  failed ? "FAIL: a bucket exceeded its budget in some 1 s window" : "PASS: every bucket within budget",
);
if (failed) Deno.exit(1);
