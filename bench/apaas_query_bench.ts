/**
 * aPaaS record queries at a fixed rate against the sandbox (open loop: one
 * query every 1000/rate ms, whatever the answers do), through the full client
 * (`ApaasWorkspace` → LarkHttp): latency p50/p95/p99 and errors. Each query
 * filters, orders and returns 100 of the 500 seeded customers.
 *
 * The sandbox's documented 10/s limit per app is turned off for this run (at
 * 50/s it would answer 429 to four calls in five); the figure is the client's
 * and the sandbox's own latency. Goal: p95 < 2 s.
 *
 * Usage: deno run -A bench/apaas_query_bench.ts [--rate=50] [--seconds=60]
 */
import { apaasWhere, ApaasWorkspace } from "../lib/apaas/mod.ts";
import { staticAuth } from "../lib/auth/auth_provider.ts";
import { LarkHttp } from "../lib/http/mod.ts";
import { APAAS_WORKSPACE_ID } from "../sandbox/apaas/store.ts";
import { createSandbox } from "../sandbox/mod.ts";
import { meetingFamily } from "../sandbox/scenarios/meeting/mod.ts";

const arg = (name: string, def: number) =>
  Number(Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? def);
const rate = arg("rate", 50), seconds = arg("seconds", 60);

const sandbox = createSandbox({ defaultRateLimits: false });
const server = await sandbox.listen({ port: 0 });
try {
  const fam = meetingFamily(sandbox);
  const appId = sandbox.state.options.apps[0].appId;
  const uat = fam.userTokens.issue(appId, fam.directory.users[0].openId, [
    "app_engine:workspace.table.record:read",
  ], sandbox.state.clock.now());
  const http = new LarkHttp({ baseUrl: server.url });
  const ws = new ApaasWorkspace(http, {
    workspaceId: APAAS_WORKSPACE_ID,
    auth: staticAuth("user:bench", { Authorization: `Bearer ${uat.access.value}` }),
  });
  const query = {
    filter: apaasWhere.and(apaasWhere.gte("age", 25), apaasWhere.in("city", ["北京", "上海", "深圳"])),
    order: [{ column: "age", desc: true }, { column: "name" }],
    pageSize: 100,
  };
  const latencies: number[] = [];
  let errors = 0;
  const total = rate * seconds;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    pending.push(
      ws.queryPage("customers", query).then(
        (p) => {
          if (p.records.length !== 100) errors++;
          latencies.push(performance.now() - t0);
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(pending);
  const wall = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  console.log(
    `queries             ${total} at ${rate}/s for ${seconds} s (achieved ${(total / wall).toFixed(1)}/s)`,
  );
  console.log(`errors              ${errors}`);
  console.log(`latency p50         ${q(0.5).toFixed(1)} ms`);
  console.log(`latency p95         ${q(0.95).toFixed(1)} ms  (goal < 2000 ms)`);
  console.log(`latency p99         ${q(0.99).toFixed(1)} ms`);
  console.log(`latency max         ${latencies.at(-1)?.toFixed(1)} ms`);
} finally {
  await server.close();
}
