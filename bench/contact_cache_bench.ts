/**
 * Contact lookups for 5,000 users over a day of simulated time, through the
 * per-app cache (`UserDirectory` over SQLite) against the sandbox: hit rate
 * and Feishu calls saved. Traffic: `--events` lookups spread over `--hours`
 * (fake clock), each asking 1–20 emails drawn with a Zipf-like skew (a few
 * people are looked up often). The sandbox's rate limits are off so that the
 * figures show the cache alone.
 *
 * Usage: deno run -A bench/contact_cache_bench.ts [--users=5000] [--events=2000] [--hours=24]
 */
import { SqliteUserCacheStore, UserDirectory } from "../lib/contact/mod.ts";
import { staticAuth } from "../lib/auth/auth_provider.ts";
import { LarkHttp } from "../lib/http/mod.ts";
import { FakeClock } from "../lib/testing/mod.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../sandbox/mod.ts";
import { meetingFamily } from "../sandbox/scenarios/meeting/mod.ts";

const arg = (name: string, def: number) =>
  Number(Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? def);
const users = arg("users", 5000), events = arg("events", 2000), hours = arg("hours", 24);

const sandbox = createSandbox({ meeting: { extraUsers: Math.max(0, users - 6) }, defaultRateLimits: false });
const server = await sandbox.listen({ port: 0 });
try {
  const tokenRes = await fetch(server.url + "/open-apis/auth/v3/tenant_access_token/internal", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app_id: DEFAULT_APP_ID, app_secret: DEFAULT_APP_SECRET }),
  });
  const tat = (await tokenRes.json()).tenant_access_token;
  const http = new LarkHttp({
    baseUrl: server.url,
    auth: staticAuth("tenant:bench", { Authorization: `Bearer ${tat}` }),
  });
  const clock = new FakeClock(Date.UTC(2026, 0, 5));
  const store = new SqliteUserCacheStore(":memory:");
  const dir = new UserDirectory({ appId: DEFAULT_APP_ID, http, store, clock });
  const emails = meetingFamily(sandbox).directory.users.map((u) => u.email);
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  // Zipf-like: index = n * u^3 favours the first users.
  const pick = () => emails[Math.floor(emails.length * rand() ** 3)];
  const step = (hours * 3600_000) / events;
  const t0 = performance.now();
  let asked = 0;
  for (let i = 0; i < events; i++) {
    const batch = Array.from({ length: 1 + Math.floor(rand() * 20) }, pick);
    asked += new Set(batch).size;
    await dir.lookup({ emails: batch });
    await clock.tick(step);
  }
  const wall = performance.now() - t0;
  const s = dir.stats();
  const saved = s.apiCallsWithoutCache - s.apiCalls;
  console.log(`users in directory     ${emails.length}`);
  console.log(`simulated time         ${hours} h, ${events} lookup requests, ${asked} emails asked`);
  console.log(`cache misses           ${s.misses} (first sightings and expired entries)`);
  console.log(`cache hit rate         ${(s.hitRate * 100).toFixed(1)} %  (goal ≥ 80 %)`);
  console.log(`Feishu calls           ${s.apiCalls} with cache / ${s.apiCallsWithoutCache} without`);
  console.log(
    `calls saved            ${saved} (${((saved / Math.max(1, s.apiCallsWithoutCache)) * 100).toFixed(1)} %)`,
  );
  console.log(`wall time              ${(wall / 1000).toFixed(1)} s`);
  await store.close();
} finally {
  await server.close();
}
