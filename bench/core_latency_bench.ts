/**
 * Latency the core adds, across token expiries: 100 calls/s for 60 s (by
 * default) through `LarkHttp` + `TokenManager` (the core's retry schedule)
 * against the sandbox, whose tenant tokens live 20 s, so the run crosses
 * several expiries. Baseline in the same run: the same request by plain
 * `fetch` with a token fetched beforehand, interleaved one for one.
 * Prints p50/p99/p99.9/max of both and of the difference, token fetches, errors.
 *
 * Usage: deno run -A bench/core_latency_bench.ts [seconds=60] [perSecond=100]
 */
import { LarkHttp } from "../lib/http/lark_http.ts";
import { LarkTokenEndpoints } from "../lib/token/lark_token_endpoints.ts";
import { MemoryTokenStore } from "../lib/token/token_store_memory.ts";
import { TokenManager } from "../lib/token/token_manager.ts";
import { CORE_RETRY } from "../pipelines/core/core_retry.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../sandbox/mod.ts";
import { cardFamily } from "../sandbox/card/family.ts";

const SECONDS = Number(Deno.args[0] ?? 60);
const RATE = Number(Deno.args[1] ?? 100);
const sandbox = createSandbox({ tokenLifetimeSec: 20 });
const sbx = await sandbox.listen({ port: 0 });
const id = "om_bench_latency";
cardFamily(sandbox.state).messages.set(id, {
  messageId: id,
  appId: DEFAULT_APP_ID,
  card: {},
  history: [],
  updates: 0,
});
const tokens = new TokenManager({
  store: new MemoryTokenStore(),
  endpoints: new LarkTokenEndpoints({ baseUrl: sbx.url }),
  apps: (a) => a === DEFAULT_APP_ID ? { appId: a, appSecret: DEFAULT_APP_SECRET } : undefined,
});
const http = new LarkHttp({ baseUrl: sbx.url, auth: tokens.tenantAuth(DEFAULT_APP_ID), retry: CORE_RETRY });
const body = { content: JSON.stringify({ schema: "2.0", body: { elements: [] } }) };
const path = `/open-apis/im/v1/messages/${id}`;

// Baseline token: fetched once, refreshed only when the sandbox refuses it (outside the timing).
let plainToken = (await (await fetch(`${sbx.url}/open-apis/auth/v3/tenant_access_token/internal`, {
  method: "POST",
  body: JSON.stringify({ app_id: DEFAULT_APP_ID, app_secret: DEFAULT_APP_SECRET }),
})).json()).tenant_access_token as string;

const core: number[] = [];
const plain: number[] = [];
let errors = 0;
const total = SECONDS * RATE;
const start = performance.now();
const inflight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  inflight.push((async () => {
    const t0 = performance.now();
    try {
      await http.request({ method: "PATCH", path, body });
      core.push(performance.now() - t0);
    } catch {
      errors++;
    }
  })());
  inflight.push((async () => {
    const t0 = performance.now();
    const res = await fetch(`${sbx.url}${path}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${plainToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const j = await res.json();
    if (j.code === 0) plain.push(performance.now() - t0);
    else {
      plainToken = (await (await fetch(`${sbx.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: "POST",
        body: JSON.stringify({ app_id: DEFAULT_APP_ID, app_secret: DEFAULT_APP_SECRET }),
      })).json()).tenant_access_token;
    }
  })());
}
await Promise.all(inflight);
await sbx.close();

const q = (a: number[], p: number) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
};
const row = (name: string, a: number[]) =>
  `${name.padEnd(22)} n=${String(a.length).padStart(5)} p50 ${q(a, 0.5).toFixed(2)} ms  p99 ${
    q(a, 0.99).toFixed(2)
  } ms  p99.9 ${q(a, 0.999).toFixed(2)} ms  max ${q(a, 1).toFixed(2)} ms`;
const stats = tokens.stats;
console.log(`${RATE} calls/s for ${SECONDS} s (sandbox tenant tokens live 20 s), PATCH card`);
console.log(row("core (LarkHttp+tokens)", core));
console.log(row("baseline (plain fetch)", plain));
console.log(
  `added by the core: p50 ${(q(core, 0.5) - q(plain, 0.5)).toFixed(2)} ms, p99 ${
    (q(core, 0.99) - q(plain, 0.99)).toFixed(2)
  } ms, p99.9 ${(q(core, 0.999) - q(plain, 0.999)).toFixed(2)} ms; token fetches ${stats.fetches.tenant} ` +
    `(background ${stats.backgroundRefreshes}); core errors ${errors}`,
);
