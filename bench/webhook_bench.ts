/**
 * Webhook intake benchmark: `handleWebhook` on `Deno.serve` (127.0.0.1:0) with
 * the signature check, AES decryption and the durable SQLite store
 * (`synchronous=FULL` by default), loaded over loopback for ~10 s with signed,
 * encrypted `vc.meeting.all_meeting_ended_v1` events, each with its own
 * event id. Uses Debian `wrk` (with a Lua script reading pre-built requests)
 * when installed; otherwise says so and falls back to an in-process load
 * generator in a Worker with bounded concurrency.
 *
 * Goal on 2 cores: ≥ 2,000 events/s and p99 < 50 ms.
 *
 * Run: deno run --allow-net=127.0.0.1 --allow-read --allow-write --allow-run --allow-env bench/webhook_bench.ts
 *      [--seconds 10] [--connections 50] [--sync full|normal] [--events 120000] [--no-wrk]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { computeSignature, handleWebhook, SqliteEventStore } from "../lib/events/mod.ts";
import { encryptEvent } from "../lib/testing/mod.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    sync: { type: "string", default: "full" },
    events: { type: "string", default: "120000" },
    "no-wrk": { type: "boolean", default: false },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const EVENTS = Number(values.events);
const KEY = "bench-encrypt-key";
const TOKEN = "bench-verification-token";

const dir = await Deno.makeTempDir({ prefix: "webhook-bench-" });
const store = new SqliteEventStore(`${dir}/events.db`, {
  synchronous: values.sync === "normal" ? "normal" : "full",
});
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  (req) => handleWebhook(req, { store, encryptKey: KEY, verificationToken: TOKEN }),
);
const url = `http://127.0.0.1:${server.addr.port}/webhook/event`;

try {
  const t0 = performance.now();
  const lines = await buildRequests(EVENTS);
  const file = `${dir}/requests.tsv`;
  await Deno.writeTextFile(file, lines.join("\n") + "\n");
  console.log(
    `${EVENTS} distinct signed+encrypted events built in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s; ` +
      `store synchronous=${values.sync}; ${CONNECTIONS} connections, ${SECONDS} s`,
  );
  const wrk = values["no-wrk"] ? undefined : await findWrk();
  let result: { rps: number; p50: number; p99: number; non2xx: number; tool: string; requests: number };
  if (wrk) {
    result = await runWrk(wrk, file);
  } else {
    console.log(
      (values["no-wrk"]
        ? "NOTE: --no-wrk given"
        : "NOTE: `wrk` not found (Debian package `wrk`: apt-get install -y wrk)") +
        "; using the in-process load generator instead (a Worker thread, bounded concurrency). " +
        "It shares the machine's cores with the server, like wrk would.",
    );
    result = await runWorker(lines);
  }
  const counts = await store.counts();
  const stored = counts.pending + counts.processing + counts.done + counts.failed;
  console.log(`tool: ${result.tool}`);
  console.log(
    `events/s: ${result.rps.toFixed(0)}   p50: ${result.p50.toFixed(2)} ms   p99: ${
      result.p99.toFixed(2)
    } ms`,
  );
  console.log(
    `requests: ${result.requests}; non-2xx answers: ${result.non2xx}; events durably stored: ${stored}` +
      (result.requests > EVENTS
        ? ` (more requests than built events: ${result.requests - EVENTS} were replays)`
        : ""),
  );
  console.log(
    `goals (2 cores): ≥ 2,000 events/s ${result.rps >= 2000 ? "met" : "MISSED"}; p99 < 50 ms ${
      result.p99 < 50 ? "met" : "MISSED"
    }`,
  );
} finally {
  await server.shutdown();
  store.close();
  await Deno.remove(dir, { recursive: true });
}

/** `timestamp \t nonce \t signature \t body` lines, one distinct event each. */
async function buildRequests(n: number): Promise<string[]> {
  const out: string[] = [];
  const timestamp = String(Math.floor(Date.now() / 1000));
  for (let i = 0; i < n; i++) {
    const envelope = {
      schema: "2.0",
      header: {
        event_id: `bench-${i}-${crypto.randomUUID()}`,
        event_type: "vc.meeting.all_meeting_ended_v1",
        create_time: String(Date.now()),
        token: TOKEN,
        app_id: "cli_a1b2c3d4e5f60718",
        tenant_key: "bench-tenant",
      },
      event: {
        meeting: {
          id: String(6911188411932033028n + BigInt(i)),
          topic: "周会",
          meeting_no: "235812466",
          start_time: "1768788000",
          end_time: "1768791600",
          owner: { id: { open_id: "ou_owner", union_id: "on_owner", user_id: "zhangsan" } },
        },
      },
    };
    const body = JSON.stringify({ encrypt: await encryptEvent(JSON.stringify(envelope), KEY) });
    const nonce = `n${i}`;
    out.push(
      [timestamp, nonce, computeSignature({ timestamp, nonce, encryptKey: KEY, rawBody: body }), body].join(
        "\t",
      ),
    );
  }
  return out;
}

async function findWrk(): Promise<string | undefined> {
  try {
    const r = await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return r.code === 0 || r.code === 1 ? "wrk" : undefined;
  } catch {
    return undefined;
  }
}

async function runWrk(wrk: string, file: string) {
  const lua = `${dir}/post.lua`;
  await Deno.writeTextFile(
    lua,
    `
local f = nil
init = function(args) f = io.open("${file}", "r") end
request = function()
  local line = f:read("*l")
  if line == nil then f:seek("set", 0); line = f:read("*l") end
  local ts, nonce, sig, body = line:match("([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)")
  return wrk.format("POST", "/webhook/event", {
    ["Content-Type"] = "application/json",
    ["X-Lark-Request-Timestamp"] = ts,
    ["X-Lark-Request-Nonce"] = nonce,
    ["X-Lark-Signature"] = sig,
  }, body)
end
`,
  );
  const out = await new Deno.Command(wrk, {
    args: ["-t1", `-c${CONNECTIONS}`, `-d${SECONDS}s`, "--latency", "-s", lua, url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const ms = (label: string) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(text);
    if (!m) return NaN;
    const v = Number(m[1]);
    return m[2] === "us" ? v / 1000 : m[2] === "s" ? v * 1000 : v;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? NaN);
  if (!Number.isFinite(rps)) console.log(text);
  return {
    rps,
    p50: ms("50%"),
    p99: ms("99%"),
    non2xx,
    requests,
    tool: `wrk -t1 -c${CONNECTIONS} -d${SECONDS}s`,
  };
}

async function runWorker(lines: string[]) {
  const worker = new Worker(new URL("./_webhook_load_worker.ts", import.meta.url), { type: "module" });
  const done = new Promise<{ latencies: number[]; statuses: Record<number, number>; elapsedMs: number }>(
    (r) => {
      worker.onmessage = (e) => r(e.data);
    },
  );
  worker.postMessage({ url, lines, concurrency: CONNECTIONS, durationMs: SECONDS * 1000 });
  const { latencies, statuses, elapsedMs } = await done;
  worker.terminate();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  const non2xx = Object.entries(statuses).filter(([s]) => !s.startsWith("2")).reduce((n, [, c]) => n + c, 0);
  return {
    rps: latencies.length / (elapsedMs / 1000),
    p50: q(0.5),
    p99: q(0.99),
    non2xx,
    requests: latencies.length,
    tool: `in-process Worker, ${CONNECTIONS} concurrent requests`,
  };
}
