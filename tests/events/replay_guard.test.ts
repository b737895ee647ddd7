/**
 * Freshness of signed webhook requests (issue 7 §2): a missing, stale or
 * far-future `X-Lark-Request-Timestamp` is refused, a nonce is accepted once
 * within the window, a new nonce for the same event passes, and the nonce
 * memory stays bounded.
 */
import assert from "node:assert/strict";
import { ReplayGuard } from "../../lib/events/replay_guard.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";

const NOW = Date.UTC(2026, 11, 5, 8, 0, 0);
const sec = (ms: number) => String(Math.floor(ms / 1000));

Deno.test("replay guard: timestamps outside ±5 min, empty or malformed are refused", () => {
  const guard = new ReplayGuard({ clock: new FakeClock(NOW) });
  assert.equal(guard.check(null, "n1"), "missing_timestamp");
  assert.equal(guard.check("", "n1"), "missing_timestamp");
  assert.equal(guard.check("12ab", "n1"), "missing_timestamp");
  assert.equal(guard.check(sec(Date.UTC(2001, 0, 1)), "n1"), "stale_timestamp", "year 2001");
  assert.equal(guard.check(sec(NOW - 301_000), "n1"), "stale_timestamp");
  assert.equal(guard.check(sec(NOW + 301_000), "n1"), "stale_timestamp", "too far ahead");
  assert.equal(guard.check(sec(NOW - 299_000), "n2"), undefined, "4m59s old: clock skew allowed");
  assert.equal(guard.check(sec(NOW + 120_000), "n3"), undefined, "2 min ahead: clock skew allowed");
  assert.equal(guard.check(sec(NOW), ""), "missing_nonce");
});

Deno.test("replay guard: a nonce is accepted once; a redelivery with a new nonce passes", async () => {
  const clock = new FakeClock(NOW);
  const guard = new ReplayGuard({ clock });
  assert.equal(guard.check(sec(NOW), "abc"), undefined);
  assert.equal(guard.check(sec(NOW), "abc"), "replayed_nonce");
  assert.equal(guard.check(sec(NOW), "def"), undefined, "same event, new nonce");
  await clock.tick(200_000);
  assert.equal(guard.check(sec(NOW), "abc"), "replayed_nonce", "still inside the window");
  await clock.tick(200_000);
  assert.equal(
    guard.check(sec(NOW), "abc"),
    "stale_timestamp",
    "outside the window the timestamp refuses it",
  );
  assert.equal(guard.check(sec(clock.now()), "ghi"), undefined);
  assert.equal(guard.size, 1, "expired nonces are forgotten");
});

Deno.test("replay guard: the nonce memory is bounded", () => {
  const guard = new ReplayGuard({ clock: new FakeClock(NOW), maxNonces: 100 });
  for (let i = 0; i < 1000; i++) assert.equal(guard.check(sec(NOW), `n${i}`), undefined);
  assert.equal(guard.size, 100);
  assert.equal(guard.check(sec(NOW), "n999"), "replayed_nonce", "the newest are kept");
});
