import assert from "node:assert/strict";
import { retryDelay } from "../../lib/queue/job_queue.ts";

Deno.test("queue retry delay: base × 2^(attempt-1), capped at 60 s, the same every time (no jitter)", () => {
  assert.deepEqual([1, 2, 3, 4, 6, 7, 20].map((a) => retryDelay(a, 1000)), [
    1000,
    2000,
    4000,
    8000,
    32_000,
    60_000,
    60_000,
  ]);
  assert.equal(retryDelay(0, 250), 250, "attempt 0 is treated as the first");
  for (let i = 0; i < 20; i++) assert.equal(retryDelay(3, 10), 40);
});
