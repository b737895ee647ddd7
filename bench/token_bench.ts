/**
 * Token manager benchmark: 10,000 `getTenantToken` calls from concurrent tasks,
 * spread evenly over 1.2 token lifetimes of fake time (so the run crosses the
 * refresh-ahead window and the first token's expiry), against a fake endpoint
 * that answers after ~1 ms of real time, with a SQLite store in a temp file.
 *
 * Prints the endpoint requests (initial fetch and refreshes separately) and
 * the latency each call adds, p50/p99 in microseconds.
 *
 * Run: deno run -A bench/token_bench.ts
 *
 * @module
 */
import type { Clock } from "../lib/time/clock.ts";
import { delay } from "../lib/time/clock.ts";
import {
  type FetchedAppToken,
  SqliteTokenStore,
  type TokenEndpoints,
  TokenManager,
} from "../lib/token/mod.ts";
import { testSecretBox } from "../lib/testing/test_secret_box.ts";

const box = await testSecretBox();

const TOTAL_CALLS = 10_000;
const TASKS = 50;
const LIFETIME_S = 7200;
const SPAN_MS = 1.2 * LIFETIME_S * 1000;
const T0 = 1_700_000_000_000;

/** Fake time that the benchmark moves forward call by call. */
let fakeNow = T0;
const clock: Clock = { now: () => fakeNow, sleep: delay };

/** Issued tokens and when they expire (fake ms). */
const issued = new Map<string, number>();
let requests = 0;
const endpoint = async (): Promise<FetchedAppToken> => {
  const n = ++requests;
  await delay(1); // network latency stand-in
  const token = `t-bench-${n}`;
  issued.set(token, clock.now() + LIFETIME_S * 1000);
  return { token, expireSeconds: LIFETIME_S };
};
const endpoints: TokenEndpoints = {
  fetchTenantToken: endpoint,
  fetchAppToken: endpoint,
  refreshUserToken: () => Promise.reject(new Error("not used")),
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function usStats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const us = (v: number) => (v * 1000).toFixed(1);
  return `p50 ${us(percentile(s, 0.5))} µs, p99 ${us(percentile(s, 0.99))} µs, max ${us(s[s.length - 1])} µs`;
}

const dir = await Deno.makeTempDir({ prefix: "token_bench_" });
const store = new SqliteTokenStore(`${dir}/tokens.db`, { box, clock });
const manager = new TokenManager({
  store,
  endpoints,
  apps: (appId) => ({ appId, appSecret: "bench" }),
  clock,
});

try {
  await manager.getTenantToken("cli_bench"); // initial fetch, reported separately
  const initialRequests = requests;

  let next = 0;
  const latencies: number[] = [];
  let expiredServed = 0;
  const served = new Map<string, number>();
  const task = async () => {
    for (;;) {
      const i = next++;
      if (i >= TOTAL_CALLS) return;
      fakeNow = T0 + Math.floor((i / TOTAL_CALLS) * SPAN_MS);
      const t0 = performance.now();
      const token = await manager.getTenantToken("cli_bench");
      latencies.push(performance.now() - t0);
      if ((issued.get(token) ?? 0) <= clock.now()) expiredServed++;
      served.set(token, (served.get(token) ?? 0) + 1);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 0)); // let timers (the endpoint) run
    }
  };
  await Promise.all(Array.from({ length: TASKS }, task));
  await manager.idle();

  // Warm-cache baseline: one caller, no concurrency.
  const sequential: number[] = [];
  for (let i = 0; i < TOTAL_CALLS; i++) {
    const t0 = performance.now();
    await manager.getTenantToken("cli_bench");
    sequential.push(performance.now() - t0);
  }

  console.log("token manager benchmark");
  console.log(`calls: ${TOTAL_CALLS} getTenantToken from ${TASKS} concurrent tasks`);
  console.log(
    `fake time covered: ${(SPAN_MS / LIFETIME_S / 1000).toFixed(1)} token lifetimes (${LIFETIME_S} s each)`,
  );
  console.log(`initial fetch requests: ${initialRequests}`);
  console.log(`refresh requests across the expiry: ${requests - initialRequests} (goal 1)`);
  console.log(`background refreshes started: ${manager.stats.backgroundRefreshes}`);
  console.log(`expired tokens handed out: ${expiredServed}`);
  console.log(`tokens served: ${[...served].map(([t, n]) => `${t} x${n}`).join(", ")}`);
  console.log(`added latency per call (concurrent run): ${usStats(latencies)}`);
  console.log(`added latency per call (one caller, warm cache): ${usStats(sequential)}`);
} finally {
  store.close();
  await Deno.remove(dir, { recursive: true });
}
