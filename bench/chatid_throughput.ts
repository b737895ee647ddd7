/**
 * Throughput of the contract → openChatId tool against the sandbox with
 * Feishu-like limits: 20/s per endpoint and 50/s global, so the ceiling is
 * 50 / 3 ≈ 16.7 contracts/s. Prints contracts/s, the share of the ceiling,
 * throttling answers and latency. No assertions: figures only.
 *
 * Usage: deno run -A bench/chatid_throughput.ts [--contracts 1000] [--margin 0.97] [--concurrency auto]
 */
import { parseArgs } from "node:util";
import { MemoryTokenStore } from "../lib/token/token_store_memory.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET, DEFAULT_SESSION } from "../sandbox/mod.ts";
import {
  autoConcurrency,
  ChatIdConfigSchema,
  createChatIdContext,
  runChatId,
} from "../pipelines/chatid/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    contracts: { type: "string", default: "1000" },
    margin: { type: "string", default: "0.97" },
    concurrency: { type: "string", default: "auto" },
  },
});
const n = Number(values.contracts);
const margin = Number(values.margin);
const sandbox = createSandbox({
  contractCount: n,
  journalLimit: 10 * n + 100,
  rateLimits: {
    global: { perSecond: 50 },
    contract_search: { perSecond: 20 },
    contract_and_task: { perSecond: 20 },
    cooperation_info: { perSecond: 20 },
  },
});
const server = await sandbox.listen();
const dir = await Deno.makeTempDir({ prefix: "chatid-bench-" });
const globalQpm = 50 * 60 * margin;
const config = ChatIdConfigSchema.parse({
  app: { app_id: DEFAULT_APP_ID, app_secret: DEFAULT_APP_SECRET, base_url: server.url },
  clm: { base_url: server.url, cookie: `session=${DEFAULT_SESSION}` },
  rate_limit: {
    concurrency: values.concurrency === "auto" ? "auto" : Number(values.concurrency),
    global_qpm: globalQpm,
    contract_search_qpm: 20 * 60 * margin,
    contract_info_qpm: 20 * 60 * margin,
    cooperation_info_qpm: 20 * 60 * margin,
  },
  output: { path: `${dir}/out.xlsx` },
});
const concurrency = config.rate_limit.concurrency === "auto"
  ? autoConcurrency(globalQpm)
  : config.rate_limit.concurrency;
const ctx = createChatIdContext(config, { store: new MemoryTokenStore() });
const numbers = sandbox.state.contracts.map((c) => c.contractNumber).slice(0, n);
await ctx.tokens.getTenantToken(DEFAULT_APP_ID);
const t0 = performance.now();
const result = await runChatId({ numbers, outputPath: config.output.path, concurrency, deps: ctx });
const secs = (performance.now() - t0) / 1000;
const rate = numbers.length / secs;
const ceiling = 50 / 3;
console.log(`contracts: ${numbers.length}, concurrency: ${concurrency}, budget margin: ${margin}`);
console.log(`elapsed: ${secs.toFixed(1)} s, throughput: ${rate.toFixed(2)} contracts/s`);
console.log(`ceiling: ${ceiling.toFixed(2)} contracts/s → ${(100 * rate / ceiling).toFixed(1)}% of ceiling`);
const calls = ["contract_search", "contract_and_task", "cooperation_info"]
  .reduce((sum, e) => sum + sandbox.journal.count(e), 0);
console.log(`API calls: ${calls} → ${(calls / secs).toFixed(1)} calls/s vs global budget 50/s`);
console.log(`throttling answers from sandbox: ${sandbox.journal.countThrottled()}`);
console.log(`per-contract latency: p50 ${result.summary.p50Ms} ms, p95 ${result.summary.p95Ms} ms`);
console.log(`statuses: ${JSON.stringify(result.summary.counts)}`);
await server.close();
await Deno.remove(dir, { recursive: true });
