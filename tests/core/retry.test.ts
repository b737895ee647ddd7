import assert from "node:assert/strict";
import {
  AuthError,
  BadRequestError,
  ConfigError,
  LarkError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  SessionError,
} from "../../lib/errors/mod.ts";
import {
  attemptsOf,
  BACKOFF_DEFAULTS,
  backoffDelay,
  isRetryable,
  parseRetryAfter,
  retry,
  type RetryInfo,
} from "../../lib/retry/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";

const half = () => 0.5; // no jitter: random() * 2 - 1 === 0

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Let `p` run to completion on fake time. */
async function settle<T>(clock: FakeClock, p: Promise<T>): Promise<Outcome<T>> {
  const out = p.then((value) => ({ ok: true as const, value }), (error) => ({ ok: false as const, error }));
  await clock.runUntilIdle();
  return await out;
}

function failing(errors: unknown[], value = "ok") {
  const calls: number[] = [];
  const fn = (attempt: number) => {
    calls.push(attempt);
    const e = errors.shift();
    return e === undefined ? Promise.resolve(value) : Promise.reject(e);
  };
  return { fn, calls };
}

Deno.test("backoffDelay: exact schedule with a fixed random", () => {
  const got = [1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, { random: half }));
  assert.deepEqual(got, [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  assert.deepEqual(BACKOFF_DEFAULTS, { baseMs: 500, factor: 2, capMs: 10_000, jitter: 0.2 });
  // retry 0 or negative is treated as the first retry.
  assert.equal(backoffDelay(0, { random: half }), 500);
  assert.equal(backoffDelay(-5, { random: half }), 500);
});

Deno.test("backoffDelay: ±20% bounds", () => {
  // random 0 -> -20%, random -> 1 -> +20%.
  assert.deepEqual([1, 2, 3, 6].map((n) => backoffDelay(n, { random: () => 0 })), [400, 800, 1600, 8000]);
  assert.deepEqual(
    [1, 2, 3, 6].map((n) => backoffDelay(n, { random: () => 0.999999 })),
    [600, 1200, 2400, 12_000],
  );
  assert.equal(backoffDelay(1, { random: () => 0.25 }), 450);
  for (let n = 1; n <= 10; n++) {
    const raw = Math.min(10_000, 500 * 2 ** (n - 1));
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(n);
      assert.ok(d >= raw * 0.8 && d <= raw * 1.2, `retry ${n}: ${d} outside ±20% of ${raw}`);
      assert.ok(d <= 12_000, "never above cap * (1 + jitter)");
    }
  }
});

Deno.test("backoffDelay: custom options", () => {
  const o = { baseMs: 100, factor: 3, capMs: 1000, jitter: 0, random: () => 0.9 };
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n, o)), [100, 300, 900, 1000]);
  assert.equal(backoffDelay(1, { baseMs: 100, jitter: 0.5, random: () => 0 }), 50);
});

Deno.test("retry: retryable errors are retried 3 times, then thrown with attempts", async () => {
  const clock = new FakeClock(1_000);
  const { fn, calls } = failing([
    new ServerError("a"),
    new NetworkError("b"),
    new RateLimitError("c"), // no retryAfterMs: plain backoff
    new ServerError("d"),
    new ServerError("never reached"),
  ]);
  const seen: RetryInfo[] = [];
  const r = await settle(clock, retry(fn, { clock, random: half, onRetry: (i) => seen.push(i) }));
  assert.equal(r.ok, false);
  const error = (r as { error: unknown }).error;
  assert.ok(error instanceof ServerError);
  assert.equal(error.message, "d", "the last error is thrown");
  assert.equal(attemptsOf(error), 4);
  assert.deepEqual(calls, [1, 2, 3, 4]);
  assert.deepEqual(seen.map((s) => [s.attempt, s.delayMs]), [[1, 500], [2, 1000], [3, 2000]]);
  assert.equal(clock.now() - 1_000, 3_500, "waited 500 + 1000 + 2000 ms of fake time");
});

Deno.test("retry: success after failures reports attempts and waitedMs", async () => {
  const clock = new FakeClock();
  const { fn } = failing([new ServerError("a"), new NetworkError("b", { timeout: true })], "done");
  const r = await settle(clock, retry(fn, { clock, random: half }));
  assert.deepEqual(r, { ok: true, value: { value: "done", attempts: 3, waitedMs: 1500 } });
  assert.equal(clock.now(), 1500);
});

Deno.test("retry: the retries option bounds the attempts", async () => {
  for (const retries of [0, 1, 5]) {
    const clock = new FakeClock();
    const { fn, calls } = failing(Array.from({ length: 10 }, () => new ServerError("x")));
    const r = await settle(clock, retry(fn, { clock, random: half, retries }));
    assert.equal(r.ok, false);
    assert.equal(calls.length, retries + 1);
    assert.equal(attemptsOf((r as { error: unknown }).error), retries + 1);
  }
});

Deno.test("retry: never retries config, permission, bad request, session, not found, plain errors", async () => {
  const errors: unknown[] = [
    new ConfigError("c"),
    new PermissionError("p"),
    new BadRequestError("b"),
    new SessionError("s"),
    new NotFoundError("n"),
    new AuthError("a"), // not tokenInvalid
    new LarkError("unknown"),
    new TypeError("bug"),
  ];
  for (const e of errors) {
    const clock = new FakeClock();
    const { fn, calls } = failing([e, e, e]);
    const r = await settle(clock, retry(fn, { clock, onTokenInvalid: () => Promise.resolve(true) }));
    assert.equal(r.ok, false);
    assert.equal((r as { error: unknown }).error, e);
    assert.equal(calls.length, 1, `${(e as Error).name} must not be retried`);
    assert.equal(attemptsOf(e), 1);
    assert.equal(clock.now(), 0, "no wait");
    assert.equal(isRetryable(e), false);
  }
  assert.equal(isRetryable(new ServerError("x")), true);
  assert.equal(isRetryable(new ServerError("x", { retryable: false })), false);
});

Deno.test("retry: RateLimitError waits retryAfterMs (+ <= 100 ms jitter), not the backoff", async () => {
  for (const [random, expected] of [[() => 0, 3000], [half, 3050], [() => 0.999, 3100]] as const) {
    const clock = new FakeClock();
    const { fn } = failing([new RateLimitError("slow down", { retryAfterMs: 3000 })]);
    const delays: number[] = [];
    const r = await settle(clock, retry(fn, { clock, random, onRetry: (i) => delays.push(i.delayMs) }));
    assert.equal(r.ok, true);
    assert.deepEqual(delays, [expected]);
    assert.equal(clock.now(), expected);
  }
  // Real random: always within [retryAfterMs, retryAfterMs + 100].
  for (let i = 0; i < 10; i++) {
    const clock = new FakeClock();
    const { fn } = failing([new RateLimitError("slow down", { retryAfterMs: 1000 })]);
    const r = await settle(clock, retry(fn, { clock }));
    assert.equal(r.ok, true);
    assert.ok(clock.now() >= 1000 && clock.now() <= 1100, `${clock.now()}`);
  }
  // A zero reset still retries promptly.
  const clock = new FakeClock();
  const { fn, calls } = failing([new RateLimitError("x", { retryAfterMs: 0 })]);
  await settle(clock, retry(fn, { clock, random: () => 0 }));
  assert.equal(calls.length, 2);
  assert.equal(clock.now(), 0);
});

Deno.test("retry: throttling counts against the retry budget", async () => {
  const clock = new FakeClock();
  const { fn, calls } = failing(
    Array.from({ length: 6 }, () => new RateLimitError("x", { retryAfterMs: 1000 })),
  );
  const r = await settle(clock, retry(fn, { clock, random: () => 0, retries: 2 }));
  assert.equal(r.ok, false);
  assert.equal(calls.length, 3);
  assert.equal(clock.now(), 2000);
});

Deno.test("retry: refused token -> onTokenInvalid once, then one retry without waiting", async () => {
  const clock = new FakeClock();
  const refused = new AuthError("Invalid access token", {
    tokenInvalid: true,
    tokenKind: "tenant",
    code: 99991663,
  });
  const { fn, calls } = failing([refused], "fresh");
  const invalidated: AuthError[] = [];
  const r = await settle(
    clock,
    retry(fn, {
      clock,
      onTokenInvalid: (e) => {
        invalidated.push(e);
        return Promise.resolve(true);
      },
    }),
  );
  assert.deepEqual(r, { ok: true, value: { value: "fresh", attempts: 2, waitedMs: 0 } });
  assert.deepEqual(invalidated, [refused]);
  assert.deepEqual(calls, [1, 2]);
  assert.equal(clock.now(), 0);
});

Deno.test("retry: a second token refusal is final", async () => {
  const clock = new FakeClock();
  const first = new AuthError("expired", { tokenInvalid: true });
  const second = new AuthError("still refused", { tokenInvalid: true });
  const { fn, calls } = failing([first, second, new AuthError("x", { tokenInvalid: true })]);
  let invalidations = 0;
  const r = await settle(
    clock,
    retry(fn, {
      clock,
      onTokenInvalid: () => {
        invalidations++;
        return Promise.resolve(true);
      },
    }),
  );
  assert.equal(r.ok, false);
  assert.equal((r as { error: unknown }).error, second);
  assert.equal(attemptsOf(second), 2);
  assert.equal(invalidations, 1);
  assert.equal(calls.length, 2);
});

Deno.test("retry: token refusal when onTokenInvalid declines or is missing is final", async () => {
  {
    const clock = new FakeClock();
    const e = new AuthError("expired", { tokenInvalid: true });
    const { fn, calls } = failing([e]);
    const r = await settle(clock, retry(fn, { clock, onTokenInvalid: () => Promise.resolve(false) }));
    assert.equal(r.ok, false);
    assert.equal(calls.length, 1);
    assert.equal(attemptsOf(e), 1);
  }
  {
    const clock = new FakeClock();
    const { fn, calls } = failing([new AuthError("expired", { tokenInvalid: true })]);
    const r = await settle(clock, retry(fn, { clock }));
    assert.equal(r.ok, false);
    assert.equal(calls.length, 1);
  }
});

Deno.test("retry: the token retry does not use up the normal retries", async () => {
  const clock = new FakeClock();
  const { fn, calls } = failing([
    new AuthError("expired", { tokenInvalid: true }),
    new ServerError("a"),
    new ServerError("b"),
    new ServerError("c"),
  ], "ok");
  const r = await settle(
    clock,
    retry(fn, { clock, random: half, onTokenInvalid: () => Promise.resolve(true) }),
  );
  assert.equal(r.ok, true);
  assert.equal(calls.length, 5);
  assert.equal(clock.now(), 3500);
});

Deno.test("retry: abort stops the wait at once and fn is not called again", async () => {
  const clock = new FakeClock();
  const ac = new AbortController();
  const { fn, calls } = failing(Array.from({ length: 5 }, () => new ServerError("x")));
  const out = retry(fn, { clock, random: half, signal: ac.signal }).then(
    () => "resolved",
    (e) => e,
  );
  await clock.tick(200); // first attempt failed, now waiting 500 ms
  assert.equal(calls.length, 1);
  assert.equal(clock.pending, 1);
  const reason = new Error("user cancelled");
  ac.abort(reason);
  assert.equal(await out, reason);
  assert.equal(clock.pending, 0, "the sleeper is gone");
  await clock.tick(10_000);
  assert.equal(calls.length, 1);
});

Deno.test("retry: an already aborted signal never calls fn", async () => {
  const ac = new AbortController();
  ac.abort(new Error("stop"));
  let called = false;
  await assert.rejects(
    retry(() => {
      called = true;
      return Promise.resolve(1);
    }, { signal: ac.signal, clock: new FakeClock() }),
    /stop/,
  );
  assert.equal(called, false);
});

Deno.test("retry: an error thrown after abort is not retried", async () => {
  const clock = new FakeClock();
  const ac = new AbortController();
  let calls = 0;
  const r = await settle(
    clock,
    retry(() => {
      calls++;
      ac.abort();
      return Promise.reject(new ServerError("while aborting"));
    }, { clock, signal: ac.signal }),
  );
  assert.equal(r.ok, false);
  assert.equal(calls, 1);
  assert.equal(attemptsOf((r as { error: unknown }).error), 1);
});

Deno.test("parseRetryAfter: x-ogw-ratelimit-reset seconds", () => {
  assert.equal(parseRetryAfter(new Headers({ "x-ogw-ratelimit-reset": "1" })), 1000);
  assert.equal(parseRetryAfter(new Headers({ "x-ogw-ratelimit-reset": "0.25" })), 250);
  assert.equal(parseRetryAfter(new Headers({ "x-ogw-ratelimit-reset": "0" })), 0);
  assert.equal(parseRetryAfter(new Headers({ "X-Ogw-Ratelimit-Reset": " 12 " })), 12_000);
  // The Feishu header wins over Retry-After.
  assert.equal(parseRetryAfter(new Headers({ "x-ogw-ratelimit-reset": "2", "retry-after": "30" })), 2000);
  // Garbage or negative falls back to Retry-After, else undefined.
  assert.equal(parseRetryAfter(new Headers({ "x-ogw-ratelimit-reset": "soon", "retry-after": "4" })), 4000);
  assert.equal(parseRetryAfter(new Headers({ "x-ogw-ratelimit-reset": "-1" })), undefined);
  assert.equal(parseRetryAfter(new Headers({ "x-ogw-ratelimit-reset": "" })), undefined);
});

Deno.test("parseRetryAfter: Retry-After seconds and HTTP date; absent -> undefined", () => {
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "7" })), 7000);
  const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "Wed, 21 Oct 2026 07:28:05 GMT" }), now), 5000);
  assert.equal(
    parseRetryAfter(new Headers({ "retry-after": "Wed, 21 Oct 2026 07:27:00 GMT" }), now),
    0,
    "a date in the past means now",
  );
  assert.equal(parseRetryAfter(new Headers()), undefined);
  assert.equal(parseRetryAfter(new Headers({ "x-ogw-ratelimit-limit": "50" })), undefined);
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "whenever" })), undefined);
});
